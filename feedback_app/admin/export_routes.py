"""The raw anonymised response export: admins only, audited (to be built)."""

from ..security import role_required
from . import bp


@bp.get("/raw-export")
@role_required("admin")
def raw_export():
    return "raw export"
