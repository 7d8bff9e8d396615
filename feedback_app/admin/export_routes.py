"""The raw anonymised response export: admins only, audited and in the export log.

One CSV row per response with its chosen answers; never free text, response ids or
organisations (see ``services.reports.raw_export``). The file is streamed as it is written.
"""

from datetime import date

from flask import Response, render_template, request, stream_with_context

from ..auth.access import current_account, role_required
from ..services.figures import periods
from ..services.figures.filters import Filters
from ..services.reports import export_log
from ..services.reports.raw_export import RowCounter, iter_raw_csv
from ..staff_forms.summary import SummaryForm
from .blueprint import bp


def _form(values) -> SummaryForm:
    return SummaryForm(values, today=date.today(), default_period=periods.ALL_TIME, whole_quarters=False)


@bp.route("/raw-export", methods=["GET", "POST"])
@role_required("admin")
def raw_export():
    form = _form(request.form if request.method == "POST" else request.args)
    form.read()
    if request.method == "GET" or form.error_fields:
        status = 400 if form.error_fields else 200
        return render_template("admin/raw_export.html", form=form), status
    filters = Filters(period=form.chosen_period, include_demo=form.include_demo)
    record_id = export_log.log_export(export_log.RAW_KIND, current_account(), form.chosen_period, form.include_demo)
    counter = RowCounter()

    def generate():
        yield from iter_raw_csv(filters, counter)
        export_log.finish_export(record_id, counter.rows)

    filename = f"raw-responses-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
