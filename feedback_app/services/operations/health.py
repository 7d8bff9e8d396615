"""Whether the site can do its work now, for the proxy and for monitoring (``/healthz``).

It says whether the database answers, where rate limits are counted, whether the keyring
is loaded and whether narrative keys exist (``"missing"``: free text is still sealed with
the keyring, see ``flask narratives init``): never a secret, never how many responses there
are. Narrative keys do not decide whether the site is healthy: answers are taken either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ...extensions import db, limiter
from ..responses import narrative_keys, store
from ..staff.rate_limits import fallback_active


@dataclass(frozen=True)
class Health:
    database: str  # "ok" | "unreachable"
    rate_limits: str  # "redis" | "memory" (one process) | "fallback" (Redis down) | "off"
    keyring: str  # "ok" | "missing"
    narratives: str = "ok"  # "ok" | "missing" | "unknown" (the database did not answer)

    @property
    def ok(self) -> bool:
        """Able to take survivors' answers (rate limits in fallback still take them)."""
        return self.database == "ok" and self.keyring == "ok"


def check() -> Health:
    database = _database()
    return Health(database=database, rate_limits=_rate_limits(), keyring=_keyring(), narratives=_narratives(database))


def _narratives(database: str) -> str:
    if database != "ok":
        return "unknown"
    try:
        found = narrative_keys.current_public_key() is not None
    except SQLAlchemyError:
        db.session.rollback()
        return "unknown"
    if not found:
        current_app.logger.warning(
            "no narrative key: survivors' free text is sealed with the server keyring (run 'flask narratives init')"
        )
    return "ok" if found else "missing"


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
