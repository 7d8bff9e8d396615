"""The codebook of themes and the coding queue (to be built)."""

from ..security import role_required
from . import bp


@bp.get("/themes")
@role_required("coordinator")
def themes():
    return "themes"


@bp.get("/coding")
@role_required("coordinator")
def coding():
    return "coding"
