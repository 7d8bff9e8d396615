"""Shared fixtures: one database per test run (SQLite file, or a PostgreSQL database created
for the run when TEST_DATABASE_SERVER is set), migrated once, emptied after every test."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from feedback_app import create_app
from feedback_app.config import TestConfig
from feedback_app.extensions import db
from tests.helpers.databases import RunDatabase, create_test_database
from tests.helpers.pages import check_response

os.environ.setdefault("FEEDBACK_CONFIG", "test")


def pytest_report_header(config) -> str:
    server = os.environ.get("TEST_DATABASE_SERVER")
    return f"database: {'PostgreSQL (' + server + ')' if server else 'SQLite'}"


@pytest.fixture(scope="session")
def test_database(tmp_path_factory) -> Iterator[RunDatabase]:
    database = create_test_database(tmp_path_factory.mktemp("db"))
    try:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database.url})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            db.engine.dispose()
        yield database
    finally:
        database.drop()


class CheckedClient(FlaskClient):
    """A test client that checks every response it gets (``tests.helpers.pages.check_response``):
    security headers, the page rules, markup ready for an accessibility audit and the quick
    exit on survivor pages, so that no view test can forget to."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        check_response(response, response.request.path, self.application.config["QUICK_EXIT_URL"])
        # The request and the test share one app context: each request sets (or clears) the
        # narrative keys of its own session; the test's own calls hold the key again after it.
        from tests.helpers.narratives import unlock_for_test

        unlock_for_test()
        return response


def make_app(database: RunDatabase, **overrides) -> Flask:
    settings = {"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": secrets.token_urlsafe(48)}
    settings.update(overrides)
    app = create_app(TestConfig, settings)
    app.test_client_class = CheckedClient  # every test client checks every response
    return app


def empty_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        if connection.dialect.name == "sqlite":
            connection.execute(text("PRAGMA optimize"))


@contextmanager
def running_app(database: RunDatabase, *, narratives: bool = True, **overrides) -> Iterator[Flask]:
    """An app with its context pushed; afterwards its tables are emptied and its engine closed.
    With ``narratives`` it has a narrative key pair, as a site after ``flask narratives init``
    (``tests.helpers.narratives``)."""
    app = make_app(database, **overrides)
    with app.app_context():
        try:
            if narratives:
                from tests.helpers.narratives import initialise

                initialise()
            yield app
        finally:
            db.session.remove()
            empty_tables()
            db.engine.dispose()


@pytest.fixture
def app(test_database) -> Iterator[Flask]:
    with running_app(test_database) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def instance_dir(tmp_path: Path) -> Path:
    return tmp_path / "instance"
