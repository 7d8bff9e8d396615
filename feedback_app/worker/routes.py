"""Worker pages: choose a survey, language and mode; run it; lock and hand back with a PIN.

While a survivor holds the tablet ("handed over"), the worker's session is locked: every
page that needs a staff session asks for the PIN first (``auth.access.role_required``). The
quick exit works as on every survivor page: it leaves at once for the neutral site and its
beacon expires the session cookie, so the worker is signed out and nothing of theirs is open
on the tablet afterwards.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user
from wtforms.fields.choices import SelectChoice

from ..auth.access import hand_over, role_required, take_back
from ..extensions import csrf
from ..i18n import language_name, supported_locales, survey_text, use_locale
from ..services.responses.evaluations import TICKET_FIELD, idle_choices, issue_ticket, read_ticket
from ..services.staff import pins
from ..survey_pages.screens import SurveyContext, render_start, respond_to_screen
from ..surveys.registry import all_surveys, get_survey
from .blueprint import bp
from .forms import PinForm, SetPinForm, StartEvaluationForm

WORKER_LOCALE = "worker_locale"  # the worker's own language, while the survey runs in another


def evaluation_context(survey, ticket, token: str) -> SurveyContext:
    return SurveyContext(
        action_url=url_for("worker.screen", slug=survey.slug),
        start_url=url_for("worker.before_you_start", slug=survey.slug, t=token),
        collection_mode=ticket.mode,
        organisation=ticket.organisation,
        hidden=((TICKET_FIELD, token),),
        evaluation=token,
        handover=ticket.handover,
        idle_seconds=ticket.idle_seconds,
    )


def start_form() -> StartEvaluationForm:
    form = StartEvaluationForm()
    form.survey.choices = [SelectChoice(s.slug, survey_text(s.title, s.message_context)) for s in all_surveys().values()]
    form.language.choices = [SelectChoice(code, language_name(code)) for code in supported_locales()]
    form.lock_after.choices = [SelectChoice(str(seconds), idle_label(seconds)) for seconds in idle_choices()]
    # Chosen in advance (the usual time), as an untouched radio group would send it.
    form.lock_after.data = form.lock_after.data or str(current_app.config["WORKER_IDLE_LOCK_SECONDS"])
    return form


def idle_label(seconds: int) -> str:
    if seconds % 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    return ngettext("%(num)d minute", "%(num)d minutes", seconds // 60)


@bp.get("/")
@role_required("worker")
def home():
    form = start_form()
    form.language.data = form.language.data or "en"
    return render_template("worker/home.html", form=form)


@bp.post("/start")
@role_required("worker")
def start():
    form = start_form()
    if not form.validate_on_submit():
        return render_template("worker/home.html", form=form), 400
    if form.mode.data == "handed_over" and not current_user.has_pin:
        flash(_("Set a PIN before you hand the tablet over: you will need it to take the tablet back."))
        return redirect(url_for("worker.set_pin"))
    survey = get_survey(form.survey.data)
    session[WORKER_LOCALE] = str(get_locale())
    ticket, token = issue_ticket(
        survey_slug=survey.slug, mode=form.mode.data, organisation=current_user.organisation,
        idle_seconds=int(form.lock_after.data),
    )
    if ticket.handover:
        hand_over()
    return first_page(survey, ticket, token, form.language.data)


def first_page(survey, ticket, token: str, language: str):
    """The survey's first page, in the language chosen for the survivor, as they will see it."""
    use_locale(language)
    return render_start(survey, evaluation_context(survey, ticket, token))


@bp.get("/s/<slug>")
def before_you_start(slug: str):
    """The first page again, e.g. in another language (its language links come here)."""
    survey = get_survey(slug) or abort(404)
    token = request.args.get("t", "")
    ticket = read_ticket(token, slug)
    if ticket is None:
        abort(403)
    return render_start(survey, evaluation_context(survey, ticket, token))


before_you_start.access = ("worker",)  # authorised by the signed ticket, as below


@bp.post("/s/<slug>")
@csrf.exempt  # checked in respond_to_screen, so that an expired token shows the answers again
def screen(slug: str):
    survey = get_survey(slug) or abort(404)
    token = request.form.get(TICKET_FIELD)
    ticket = read_ticket(token, slug)
    if ticket is None:
        abort(403)
    return respond_to_screen(survey, evaluation_context(survey, ticket, token))


# Authorised by the signed ticket that only a signed-in worker's /worker/start issues.
screen.access = ("worker",)


@bp.get("/lock")
@role_required("worker")
def lock():
    """Where an idle tablet goes: the PIN is needed to carry on."""
    hand_over()
    return redirect(url_for("worker.unlock"))


@bp.route("/unlock", methods=["GET", "POST"])
@role_required("worker")
def unlock():
    # The PIN screen is for the worker: back to their language (and remember it again).
    use_locale(session.get(WORKER_LOCALE, ""))
    form = PinForm()
    if form.validate_on_submit():
        result = pins.check_pin(current_user, form.pin.data)
        if result == pins.PIN_OK:
            take_back()
            flash(_("Welcome back. The tablet is ready for the next evaluation."))
            return redirect(url_for("worker.home"))
        if result == pins.PIN_LOCKED:
            logout_user()
            session.clear()
            flash(_("Too many wrong PINs. Please sign in again."))
            return redirect(url_for("auth.login"))
        form.pin.errors.append(_("That PIN is not right. Please try again."))
    return render_template("worker/unlock.html", form=form)


@bp.route("/pin", methods=["GET", "POST"])
@role_required("worker")
def set_pin():
    form = SetPinForm()
    if form.validate_on_submit():
        pins.set_pin(current_user, form.pin.data)
        flash(_("Your PIN is set."))
        return redirect(url_for("worker.home"))
    return render_template("worker/pin.html", form=form)
