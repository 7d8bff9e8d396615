"""The codebook of themes, and theme counts per quarter as a trend (and, in
``coding_routes``, the coding queue).

Themes are added and changed with plain form posts that redirect back; they are never
deleted, only deactivated. The trend's counts are protected by disclosure control, like
the themed summary's.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.access import role_required
from ..services.insight import theme_trend as trend_service
from ..services.insight import themes as codebook
from ..services.insight.themes import ThemeError
from ..services.reports.themed_summary import AUDIENCE_TITLES
from .blueprint import bp
from .presenters import disclosure_rules
from .theme_forms import RuleForm, ThemeForm, TrendForm


def _theme_or_404(theme_id: str):
    try:
        number = int(theme_id)
    except ValueError:
        abort(404)
    return codebook.get_theme(number) or abort(404)


def _codebook(form: ThemeForm):
    return render_template(
        "coordinator/themes.html", form=form, groups=codebook.grouped_themes(), counts=codebook.coding_counts()
    )


def _show_error(form, error: ThemeError) -> None:
    field = getattr(form, error.field or "", None) or form.name
    field.errors = [*field.errors, error.message]


@bp.get("/themes")
@role_required("coordinator")
def themes():
    return _codebook(ThemeForm(formdata=None, data={"kind": "helpful", "service": ""}))


@bp.post("/themes")
@role_required("coordinator")
def create_theme():
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = codebook.create_theme(form.name.data, form.description.data, form.service.data, form.kind.data)
        except ThemeError as error:
            _show_error(form, error)
        else:
            flash(_("The theme “%(name)s” is added.", name=theme.name), "info")
            return redirect(url_for("coordinator.themes"))
    return _codebook(form)


@bp.get("/themes/trend")
@role_required("coordinator")
def theme_trend():
    form = TrendForm(request.args)
    include_demo = form.read()
    trend = trend_service.theme_trend(date.today(), include_demo, disclosure_rules())
    return render_template(
        "coordinator/theme_trend.html",
        form=form,
        trend=trend,
        audience_titles=AUDIENCE_TITLES,
        kind_labels=codebook.KIND_LABELS,
        current_quarter=trend.quarters[-1],
    )


def _theme_page(theme, form: ThemeForm | None = None, rule_form: RuleForm | None = None):
    if form is None:
        values = {"name": theme.name, "description": theme.description, "kind": theme.kind}
        form = ThemeForm(formdata=None, data=values | {"service": theme.service or ""}, keep_service=theme.service)
    return render_template(
        "coordinator/theme_edit.html",
        theme=theme,
        form=form,
        rule_form=rule_form or RuleForm(formdata=None),
        used=codebook.coding_counts().get(theme.id, 0),
        rule_languages=codebook.RULE_LANGUAGE_LABELS,
    )


@bp.get("/themes/<theme_id>")
@role_required("coordinator")
def theme(theme_id: str):
    return _theme_page(_theme_or_404(theme_id))


@bp.post("/themes/<theme_id>")
@role_required("coordinator")
def update_theme(theme_id: str):
    theme = _theme_or_404(theme_id)
    form = ThemeForm(keep_service=theme.service)
    if form.validate_on_submit():
        try:
            codebook.update_theme(theme, form.name.data, form.description.data, form.service.data, form.kind.data)
        except ThemeError as error:
            _show_error(form, error)
        else:
            flash(_("Your changes to the theme are saved."), "info")
            return redirect(url_for("coordinator.theme", theme_id=theme.id))
    return _theme_page(theme, form=form)


@bp.post("/themes/<theme_id>/active")
@role_required("coordinator")
def theme_active(theme_id: str):
    theme = _theme_or_404(theme_id)
    active = request.form.get("active") == "1"
    codebook.set_active(theme, active)
    if active:
        flash(_("The theme is active again: it is offered in the coding queue."), "info")
    else:
        flash(_("The theme is deactivated: it is no longer offered, and the comments coded with it keep it."), "info")
    return redirect(url_for("coordinator.theme", theme_id=theme.id))


@bp.post("/themes/<theme_id>/keywords")
@role_required("coordinator")
def add_keyword(theme_id: str):
    theme = _theme_or_404(theme_id)
    rule_form = RuleForm()
    if rule_form.validate_on_submit():
        try:
            rule = codebook.add_rule(theme, rule_form.language.data, rule_form.keyword.data)
        except ThemeError as error:
            _show_error(rule_form, error)
        else:
            flash(_("The keyword “%(keyword)s” is added.", keyword=rule.keyword), "info")
            return redirect(url_for("coordinator.theme", theme_id=theme.id) + "#keywords")
    return _theme_page(theme, rule_form=rule_form)


@bp.post("/themes/<theme_id>/keywords/<rule_id>/remove")
@role_required("coordinator")
def remove_keyword(theme_id: str, rule_id: str):
    theme = _theme_or_404(theme_id)
    try:
        removed = codebook.remove_rule(theme, int(rule_id))
    except ValueError:
        removed = False
    if removed:
        flash(_("The keyword is removed."), "info")
    else:
        flash(_("That keyword was already removed."), "error")
    return redirect(url_for("coordinator.theme", theme_id=theme.id) + "#keywords")

