"""Whether the site can do its work now, for the proxy and for monitoring (``/healthz``).

It says whether the database answers, where rate limits are counted and whether the
keyring is loaded: never a secret, never how many responses there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ...extensions import db, limiter
from ..responses import store
from ..staff.rate_limits import fallback_active


@dataclass(frozen=True)
class Health:
    database: str  # "ok" | "unreachable"
    rate_limits: str  # "redis" | "memory" (one process) | "fallback" (Redis down) | "off"
    keyring: str  # "ok" | "missing"

    @property
    def ok(self) -> bool:
        """Able to take survivors' answers (rate limits in fallback still take them)."""
        return self.database == "ok" and self.keyring == "ok"


def check() -> Health:
    return Health(database=_database(), rate_limits=_rate_limits(), keyring=_keyring())


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return "ok"
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"


def _rate_limits() -> str:
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return "off"
    if str(config["RATELIMIT_STORAGE_URI"]).startswith("memory"):
        return "memory"
    if fallback_active():
        return "fallback"
    try:
        reachable = limiter.storage.check()
    except Exception:  # any failure of the store counts as unreachable
        reachable = False
    return "redis" if reachable else "fallback"


def _keyring() -> str:
    return "ok" if store.can_seal() else "missing"
