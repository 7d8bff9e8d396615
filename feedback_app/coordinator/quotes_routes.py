"""Quotes: proposing a comment, redacting it, approving it (to be built)."""

from ..security import role_required
from . import bp


@bp.get("/quotes")
@role_required("coordinator")
def quotes():
    return "quotes"


@bp.post("/quotes/propose")
@role_required("coordinator")
def propose_quote():
    return "propose"
