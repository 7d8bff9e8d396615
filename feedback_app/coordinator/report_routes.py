"""The themed summary report for a period: a printable page, and PDF, XLSX and CSV files.

Every download is recorded in the export log (and the audit log) before it is sent.
"""

from __future__ import annotations

from datetime import date

from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from ..auth.access import current_account, role_required
from ..htmx import render_page_or_partial
from ..services.reports import export_log, exports, themed_summary
from ..services.reports.pdf import html_to_pdf
from ..staff_forms.summary import SummaryForm, describe_period
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS, disclosure_rules

FORMATS = {
    "pdf": ("summary_pdf", "application/pdf", "pdf"),
    "xlsx": ("summary_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("summary_csv", "text/csv", "csv"),
}


def _form(values) -> SummaryForm:
    form = SummaryForm(values, today=date.today())
    form.read()
    return form


@bp.get("/summary")
@role_required("coordinator")
def summary():
    form = _form(request.args)
    figures = themed_summary.summary(form.chosen_period, form.include_demo, disclosure_rules())
    return render_page_or_partial(
        "coordinator/summary.html",
        "coordinator/_summary_results.html",
        form=form,
        report=figures,
        period_text=describe_period(figures.period),
        **TEMPLATE_HELPERS,
    )


@bp.post("/summary/download")
@role_required("coordinator")
def summary_download():
    form = _form(request.form)
    chosen = FORMATS.get(request.form.get("format", ""))
    if form.error_fields or chosen is None:
        flash(_("That download could not be made. Check the period and try again."), "error")
        return redirect(url_for("coordinator.summary", **form.query()))
    kind, mimetype, extension = chosen
    figures = themed_summary.summary(form.chosen_period, form.include_demo, disclosure_rules())
    rows = list(themed_summary.export_rows(figures))
    export_log.log_export(kind, current_account(), figures.period, figures.include_demo, len(rows))
    filename = f"themed-summary-{_file_part(figures.period)}.{extension}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if extension == "pdf":
        html = render_template(
            "coordinator/summary_pdf.html",
            report=figures,
            period_text=describe_period(figures.period),
            **TEMPLATE_HELPERS,
        )
        return Response(html_to_pdf(html), mimetype=mimetype, headers=headers)
    if extension == "xlsx":
        file, _rows = exports.write_xlsx(_sheets(figures, rows))
        return Response(exports.file_chunks(file), mimetype=mimetype, headers=headers)
    lines = exports.csv_lines(themed_summary.export_header(), (_values(row) for row in rows))
    return Response(stream_with_context(lines), mimetype=mimetype, headers=headers)


def _values(row: themed_summary.ExportRow) -> list:
    percent = exports.Percent(row.share, row.percent) if row.share is not None else ""
    return [row.audience, row.section, row.table, row.answer, row.number, percent]


def _sheets(figures: themed_summary.Summary, rows: list[themed_summary.ExportRow]) -> list[exports.Sheet]:
    about = [
        (_("Report"), _("Survivor feedback: themed summary")),
        (_("Period"), describe_period(figures.period)),
        (_("Demo responses"), _("Included") if figures.include_demo else _("Left out")),
        (_("Made on"), figures.generated_on.isoformat()),
        (
            _("Small numbers"),
            _(
                "Numbers from 1 to %(below)s are shown as “fewer than %(threshold)s”; percentages only when out of %(base)s or more; “not shown” numbers are hidden so that a small number cannot be worked out.",
                below=figures.threshold - 1,
                threshold=figures.threshold,
                base=figures.percent_base_min,
            ),
        ),
    ]
    return [
        exports.Sheet(_("Notes"), [_("About this file"), ""], about),
        exports.Sheet(_("Figures"), themed_summary.export_header(), (_values(row) for row in rows)),
    ]


def _file_part(period) -> str:
    if period.kind == "range":
        return "-to-".join(d.isoformat() if d else "open" for d in (period.start, period.end))
    return period.token or "all-time"
