"""The production layer: the shipped deploy/ configuration driven end to end.

One stack for the session (see ``stack.py``): nginx with a throwaway certificate in front of
gunicorn running the app with FEEDBACK_CONFIG=production, a fresh PostgreSQL database and a
private Redis. Browser tests use real headless Chromium over HTTPS through nginx.

The submission rate limit of the app under test is low (``RATE_LIMIT``) so that the
rate-limit tests need few submissions; every test that submits more than once sends from
its own loopback address (127.0.0.x), as different people would.
"""

from __future__ import annotations

import os

import pytest

from tests.helpers.chromium import PHONE, launch_args
from tests.production.stack import DEFAULT_POSTGRES_SERVER, StackError, find_nginx, start_stack, stop_stack

RATE_LIMIT = 5  # submissions per hour per client address, for the app under test


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/production/" in str(item.fspath):
            item.add_marker(pytest.mark.production)
    # Faults (Redis stopped, workers killed) run last, after the tests of a healthy stack.
    faults = [item for item in items if "tests/production/test_faults.py" in str(item.fspath)]
    items[:] = [item for item in items if item not in faults] + faults


def _postgres_server() -> str:
    return os.environ.get("TEST_POSTGRES_SERVER") or DEFAULT_POSTGRES_SERVER


@pytest.fixture(scope="session")
def stack():
    if find_nginx() is None:
        pytest.skip("!! SKIPPED the production layer: nginx is not installed (scripts/setup --production)")
    try:
        import psycopg

        psycopg.connect(_postgres_server(), connect_timeout=3).close()
    except Exception as exc:  # noqa: BLE001 - any failure means: no server to test against
        pytest.skip(f"!! SKIPPED the production layer: no PostgreSQL at {_postgres_server()} ({exc})")
    try:
        running = start_stack(server_url=_postgres_server(), submission_rate_limit=f"{RATE_LIMIT} per hour",
                              database_relay=True)
    except StackError as exc:
        pytest.fail(str(exc))
    yield running
    stop_stack(running)


@pytest.fixture(scope="session")
def reader(stack):
    """The app in this process, on the stack's database with its keys: to create staff
    accounts and to read back what the server stored."""
    from feedback_app import create_app
    from feedback_app.config import TestConfig
    from feedback_app.crypto import Keyring
    from feedback_app.extensions import db

    app = create_app(TestConfig, {
        "SQLALCHEMY_DATABASE_URI": stack.database_url,
        "SECRET_KEY": stack.secret_key,
        "KEYRING": Keyring.from_file(stack.keyring_file),
        "TEST_NARRATIVE_RECOVERY_KEY": stack.narrative_recovery_key,
    })
    yield app
    with app.app_context():
        db.engine.dispose()


class Store:
    """What the server stored, read with its own keys."""

    def __init__(self, app):
        self.app = app

    def count(self) -> int:
        from sqlalchemy import func, select

        from feedback_app.extensions import db
        from feedback_app.models import Response

        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(Response))

    def opened(self, token: str) -> dict | None:
        """The answers stored for the submission whose page carried ``token`` (None if none)."""
        from feedback_app.services.responses.submissions import read_response, response_id_for

        with self.app.app_context():
            stored = read_response(response_id_for(token))
            return None if stored is None else stored


@pytest.fixture(scope="session")
def store(reader):
    return Store(reader)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return launch_args(browser_type_launch_args, "--ignore-certificate-errors")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "ignore_https_errors": True}
