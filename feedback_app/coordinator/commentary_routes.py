"""Editing the themed summary's commentary: one form per period and audience ("" for the
whole report), reached from the summary's "Edit commentary" links. A plain form post that
redirects back to the summary; too long a text comes back with everything typed still in
it, and nothing saved."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.access import current_account, role_required
from ..services.reports import commentary, themed_summary
from ..services.reports.commentary import CommentaryError
from ..staff_forms.summary import SummaryForm, describe_period
from .blueprint import bp
from .commentary_forms import Part, commentary_form, general_parts, service_part
from .presenters import audience_id, disclosure_rules


def _place():
    """The summary's choices (period, demo), the audience asked for, and where commentary
    of that period is kept (None: a custom range)."""
    form = SummaryForm(request.args, today=date.today())
    form.read()
    audience = request.args.get("audience", commentary.WHOLE_REPORT)
    if audience not in (commentary.WHOLE_REPORT, *commentary.audiences()):
        abort(404)
    return form, audience, commentary.period_key(form.chosen_period)


def _parts(form: SummaryForm, audience: str, written: commentary.Commentary) -> list[Part]:
    """The general parts, and for an audience a part per service its section shows (and any
    service already written about)."""
    parts = general_parts()
    if audience == commentary.WHOLE_REPORT:
        return parts
    report = themed_summary.summary(form.chosen_period, form.include_demo, disclosure_rules())
    section = next(a for a in report.audiences if a.audience == audience)
    shown = {s.key: s.label for s in section.service_sections}
    labels = {o.value: o.label for o in commentary.service_options(audience)}
    keys = [*shown, *(k for k in commentary.service_keys(audience) if k not in shown and written.service(k))]
    services = [service_part(k, shown.get(k) or labels.get(k, k)) for k in keys]
    return [parts[0], parts[1], *services, parts[2]]


def _audience_title(audience: str) -> str:
    if audience == commentary.WHOLE_REPORT:
        return _("The whole report")
    return str(themed_summary.AUDIENCE_TITLES.get(audience, audience))


def _back(form: SummaryForm, audience: str) -> str:
    anchor = f"{audience_id(audience)}-heading" if audience else "summary-heading"
    return url_for("coordinator.summary", **form.query()) + "#" + anchor


def _page(summary_form, audience, form, status=200):
    return (
        render_template(
            "coordinator/commentary.html",
            form=form,
            audience_title=_audience_title(audience),
            period_text=describe_period(summary_form.chosen_period),
            action=url_for("coordinator.summary_commentary", audience=audience, **summary_form.query()),
            back=_back(summary_form, audience),
        ),
        status,
    )


@bp.get("/summary/commentary")
@role_required("coordinator")
def summary_commentary():
    summary_form, audience, key = _place()
    if key is None or summary_form.error_fields:
        flash(_("Commentary is written for a quarter, a financial year or all time. Choose one of those first."), "error")
        return redirect(url_for("coordinator.summary", **summary_form.query()))
    written = commentary.for_period(summary_form.chosen_period).of(audience)
    parts = _parts(summary_form, audience, written)
    form = commentary_form(parts, data={p.part: written.part(p.part) for p in parts})
    return _page(summary_form, audience, form)


@bp.post("/summary/commentary")
@role_required("coordinator")
def save_summary_commentary():
    summary_form, audience, key = _place()
    if key is None or summary_form.error_fields:
        flash(_("Commentary is written for a quarter, a financial year or all time. Choose one of those first."), "error")
        return redirect(url_for("coordinator.summary", **summary_form.query()))
    written = commentary.for_period(summary_form.chosen_period).of(audience)
    form = commentary_form(_parts(summary_form, audience, written), formdata=request.form)
    try:
        changed = commentary.save(key, audience, form.values(), current_account())
    except CommentaryError as error:
        form.show_errors(error.errors)
        return _page(summary_form, audience, form, 400)
    if changed:
        flash(_("The commentary is saved. It is shown in the summary, the PDF and the spreadsheets."), "info")
    else:
        flash(_("Nothing had changed, so nothing was saved."), "info")
    return redirect(_back(summary_form, audience))
