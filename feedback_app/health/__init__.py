"""``/healthz``: whether the site can take answers now, for the proxy and monitoring."""

from flask import Blueprint

from ..auth.access import public
from ..services.operations import health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    state = health.check()
    body = {
        "database": state.database,
        "rate_limits": state.rate_limits,
        "keyring": state.keyring,
        "narratives": state.narratives,
    }
    return body, 200 if state.ok else 503
