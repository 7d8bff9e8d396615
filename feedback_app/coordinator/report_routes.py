"""The themed summary report for a period (to be built)."""

from ..security import role_required
from . import bp


@bp.get("/summary")
@role_required("coordinator")
def summary():
    return "summary"
