"""The export log, seen by coordinators and admins (to be built)."""

from ..security import role_required
from . import bp


@bp.get("/exports")
@role_required("coordinator", "admin")
def export_log():
    return "exports"
