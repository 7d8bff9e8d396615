"""The themed summary report for a period: a printable page, and PDF, XLSX and CSV files
(their layout: ``summary_files``).

Every download is recorded in the export log (and the audit log) before it is sent, with
how many rows of figures and quotes it holds.
"""

from __future__ import annotations

from datetime import date

from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from ..auth.access import current_account, role_required
from ..htmx import render_page_or_partial
from ..services.reports import commentary, export_log, exports, themed_summary
from ..services.reports.pdf import html_to_pdf
from ..staff_forms.summary import SummaryForm, describe_period
from . import summary_files
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS, disclosure_rules
from .summary_presenters import SUMMARY_HELPERS

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
    notes = commentary.for_period(figures.period)
    return render_page_or_partial(
        "coordinator/summary.html",
        "coordinator/_summary_results.html",
        form=form,
        report=figures,
        commentary=notes,
        # "Edit commentary" links keep the summary's choices; a custom range has no commentary.
        edit_query=form.query() if notes.period is not None and not form.error_fields else None,
        period_text=describe_period(figures.period),
        **TEMPLATE_HELPERS,
        **SUMMARY_HELPERS,
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
    period_text = describe_period(figures.period)
    notes = commentary.for_period(figures.period)
    content = summary_files.SummaryFile.of(figures, period_text, notes)
    export_log.log_export(kind, current_account(), figures.period, figures.include_demo, content.count)
    filename = f"themed-summary-{_file_part(figures.period)}.{extension}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if extension == "pdf":
        html = render_template(
            "coordinator/summary_pdf.html",
            report=figures,
            commentary=notes,
            document=True,
            period_text=period_text,
            **TEMPLATE_HELPERS,
            **SUMMARY_HELPERS,
        )
        return Response(html_to_pdf(html), mimetype=mimetype, headers=headers)
    if extension == "xlsx":
        file, _rows = exports.write_xlsx(summary_files.xlsx_sheets(content))
        return Response(exports.file_chunks(file), mimetype=mimetype, headers=headers)
    return Response(stream_with_context(summary_files.csv_lines(content)), mimetype=mimetype, headers=headers)


def _file_part(period) -> str:
    if period.kind == "range":
        return "-to-".join(d.isoformat() if d else "open" for d in (period.start, period.end))
    return period.token or "all-time"
