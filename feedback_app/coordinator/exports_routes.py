"""The export log: every file of figures or responses that left the site, newest first.
Coordinators and admins both see it."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from ..auth.access import role_required
from ..services.reports.export_log import list_exports
from .blueprint import bp

KIND_LABELS = {
    "summary_html": _l("Themed summary (printable page)"),
    "summary_pdf": _l("Themed summary (PDF)"),
    "summary_xlsx": _l("Themed summary (spreadsheet)"),
    "summary_csv": _l("Themed summary (CSV)"),
    "raw_csv": _l("Raw responses (CSV)"),
}


@bp.get("/exports")
@role_required("coordinator", "admin")
def export_log():
    result = list_exports(page=request.args.get("page", 1, type=int))
    return render_template("coordinator/export_log.html", result=result, kind_labels=KIND_LABELS)
