"""Checks the web server makes before it serves anyone (``gunicorn.conf.py``'s
``on_starting``), beyond the configuration ``create_app`` checks.

Production does not serve survivors before the partnership's narrative key exists: without
it, their own words would be sealed with the server's keyring, which the server alone opens
(README, "Who can read what"). Commands (``flask narratives init`` among them) are not
checked: they are how a site is set up.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from ...extensions import db
from ..responses import narrative_keys

NO_NARRATIVE_KEY = (
    "Cannot start: there is no narrative key, so survivors' own words would be readable by the server "
    "alone. Run 'flask --app wsgi narratives init' once (it prints the recovery key for the "
    "partnership's safe), then start the site again."
)


def narrative_key_problem(app: Flask) -> str | None:
    """Why the site must not start, or None. A database that does not answer is not a
    reason: the site starts and keeps answers on its kind error page, and ``/healthz`` says so."""
    if not app.config.get("NARRATIVE_KEY_REQUIRED"):
        return None
    with app.app_context():
        try:
            found = narrative_keys.current_public_key() is not None
        except SQLAlchemyError:
            return None
        finally:
            db.session.remove()
            db.engine.dispose()  # the server's workers make their own connections
    return None if found else NO_NARRATIVE_KEY
