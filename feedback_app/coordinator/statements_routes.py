"""“You said, we did”: coordinators write statements, translate them, approve each
language's wording, and publish or withdraw them (the public page is the survivor
blueprint's). Plain form posts that redirect back; a form with a mistake comes back with
everything typed still in it, and nothing saved."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.access import current_account, role_required
from ..services.impact import statements as statement_service
from ..services.impact.statements import StatementError
from .blueprint import bp
from .statement_forms import StatementActionForm, StatementForm, WordingForm
from .statement_presenters import TEMPLATE_HELPERS, language_label


def _statement_or_404(statement_id: str):
    try:
        number = int(statement_id)
    except ValueError:
        abort(404)
    return statement_service.get_statement(number) or abort(404)


def _language_or_404(language: str) -> str:
    if language not in statement_service.languages():
        abort(404)
    return language


def _approving() -> bool:
    return request.form.get("action") == "approve"


@bp.get("/statements")
@role_required("coordinator")
def statements():
    return render_template(
        "coordinator/statements.html",
        groups=statement_service.overview(),
        languages=statement_service.languages(),
        **TEMPLATE_HELPERS,
    )


def _new_page(form: StatementForm, status: int = 200):
    return render_template("coordinator/statement_new.html", form=form, **TEMPLATE_HELPERS), status


@bp.get("/statements/new")
@role_required("coordinator")
def new_statement():
    return _new_page(StatementForm(formdata=None, data={"service": statement_service.GENERAL}, today=date.today()))


@bp.post("/statements/new")
@role_required("coordinator")
def create_statement():
    form = StatementForm(today=date.today())  # its CSRF token is checked before any view (CSRFProtect)
    try:
        result = statement_service.create_statement(
            form.period.data,
            form.service.data,
            form.you_said.data,
            form.we_did.data,
            approve=_approving(),
            by=current_account(),
            today=date.today(),
        )
    except StatementError as error:
        form.show_errors(error.errors)
        return _new_page(form, 400)
    if result.approved:
        flash(
            _("The statement is added, and its English wording is approved. Add its translations, then publish it."),
            "info",
        )
    else:
        flash(_("The statement is added as a draft. Approve its English wording before publishing it."), "info")
    return redirect(url_for("coordinator.statement", statement_id=result.text.statement_id))


@bp.get("/statements/<statement_id>")
@role_required("coordinator")
def statement(statement_id: str):
    statement = _statement_or_404(statement_id)
    return render_template(
        "coordinator/statement.html",
        statement=statement,
        period=statement_service.period_of(statement),
        service_label=statement_service.service_label(statement.service),
        shown=", ".join(language_label(code) for code in statement_service.shown_in(statement)),
        languages=statement_service.languages(),
        **TEMPLATE_HELPERS,
    )


def _wording_page(statement, language: str, form: WordingForm, status: int = 200):
    return (
        render_template(
            "coordinator/statement_wording.html",
            statement=statement,
            language=language,
            form=form,
            master=statement.text_in(statement_service.MASTER),
            **TEMPLATE_HELPERS,
        ),
        status,
    )


def _form_for(statement, language: str, formdata=None, data=None) -> WordingForm:
    if language == statement_service.MASTER:
        return StatementForm(
            formdata=formdata,
            data=data,
            today=date.today(),
            keep_period=statement.period,
            keep_service=statement.service,
        )
    return WordingForm(formdata=formdata, data=data, language=language)


@bp.get("/statements/<statement_id>/<language>")
@role_required("coordinator")
def statement_wording(statement_id: str, language: str):
    statement = _statement_or_404(statement_id)
    language = _language_or_404(language)
    text = statement.text_in(language)
    data = {"you_said": text.you_said, "we_did": text.we_did} if text else {}
    if language == statement_service.MASTER:
        data |= {"period": statement.period, "service": statement.service}
    return _wording_page(statement, language, _form_for(statement, language, data=data))


@bp.post("/statements/<statement_id>/<language>")
@role_required("coordinator")
def save_statement_wording(statement_id: str, language: str):
    statement = _statement_or_404(statement_id)
    language = _language_or_404(language)
    form = _form_for(statement, language, formdata=request.form)
    place = {}
    if language == statement_service.MASTER:
        place = {"period": form.period.data, "service": form.service.data}
    try:
        result = statement_service.save_wording(
            statement,
            language,
            form.you_said.data,
            form.we_did.data,
            approve=_approving(),
            by=current_account(),
            today=date.today(),
            **place,
        )
    except StatementError as error:
        form.show_errors(error.errors)
        return _wording_page(statement, language, form, 400)
    words = language_label(language)
    if result.approved:
        flash(_("The wording in %(language)s is saved and approved.", language=words), "info")
    else:
        flash(
            _(
                "The wording in %(language)s is saved as a draft. "
                "It is not shown on the public page until it is approved.",
                language=words,
            ),
            "info",
        )
    if result.translations_to_check:
        names = ", ".join(language_label(code) for code in result.translations_to_check)
        flash(
            _(
                "The English wording changed, so check these translations and approve them again: %(languages)s.",
                languages=names,
            ),
            "info",
        )
    return redirect(url_for("coordinator.statement", statement_id=statement.id))


def _action(statement_id: str, act, done: str):
    statement = _statement_or_404(statement_id)
    if not StatementActionForm().validate_on_submit():
        flash(_("The page had expired. Please try again."), "error")
    else:
        try:
            act(statement)
        except StatementError as error:
            for messages in error.errors.values():
                for message in messages:
                    flash(str(message), "error")
        else:
            flash(done, "info")
    return redirect(url_for("coordinator.statement", statement_id=statement.id))


@bp.post("/statements/<statement_id>/<language>/approve")
@role_required("coordinator")
def approve_statement_wording(statement_id: str, language: str):
    language = _language_or_404(language)
    return _action(
        statement_id,
        lambda s: statement_service.approve_wording(s, language, current_account()),
        _("The wording in %(language)s is approved.", language=language_label(language)),
    )


@bp.post("/statements/<statement_id>/publish")
@role_required("coordinator")
def publish_statement(statement_id: str):
    return _action(
        statement_id,
        lambda s: statement_service.publish(s, current_account()),
        _("The statement is published. It is shown on the public page in each language whose wording is approved."),
    )


@bp.post("/statements/<statement_id>/withdraw")
@role_required("coordinator")
def withdraw_statement(statement_id: str):
    return _action(
        statement_id,
        lambda s: statement_service.withdraw(s, current_account()),
        _("The statement is withdrawn. It is no longer shown on the public page."),
    )

