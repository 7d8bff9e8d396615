"""Rate limits keyed by an HMAC of the client's address (see ``security.rate_limit_key``)."""

from __future__ import annotations

from flask import current_app
from limits import parse

from ...extensions import limiter
from ...security import rate_limit_key


def allow_submission() -> bool:
    """Count one survey submission; False once this connection has sent too many."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    limit = parse(current_app.config["SUBMISSION_RATE_LIMIT"])
    return limiter.limiter.hit(limit, "survey-submit", rate_limit_key())
