"""The migrations build exactly the models' schema, and survive a round trip with data."""

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from feedback_app.extensions import db
from feedback_app.models import include_in_migrations
from feedback_app.services.responses.submissions import read_response
from tests.conftest import make_app
from tests.helpers.databases import RunDatabase, create_postgres_database, drop_postgres_database
from tests.helpers.responses import store


def test_migrated_schema_equals_the_models(app):
    with db.engine.connect() as connection:
        # As ``flask db migrate`` compares: the tables that are no model left out.
        opts = {"compare_type": True, "include_object": include_in_migrations}
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, db.metadata)
    assert differences == []


@pytest.fixture
def fresh_database(test_database, tmp_path):
    if test_database.kind == "postgresql":
        url, name = create_postgres_database(test_database.server_url, prefix="feedback_migrations")
        yield RunDatabase(url=url, kind="postgresql", server_url=test_database.server_url, name=name)
        drop_postgres_database(test_database.server_url, name)
    else:
        yield RunDatabase(url=f"sqlite:///{tmp_path / 'migrations.db'}", kind="sqlite")


def test_upgrade_downgrade_upgrade_with_data(fresh_database):
    app = make_app(fresh_database)
    with app.app_context():
        try:
            upgrade()
            response_id = store({"anything_else": "kept through upgrades"}, submitted_on=date(2026, 4, 8))
            assert read_response(response_id).answers["anything_else"] == "kept through upgrades"
            db.session.remove()
            downgrade(revision="base")
            assert "responses" not in inspect(db.engine).get_table_names()
            upgrade()
            assert "responses" in inspect(db.engine).get_table_names()
            store()
        finally:
            db.session.remove()
            db.engine.dispose()


def test_accounts_migration_downgrades_to_responses_only(fresh_database):
    from feedback_app.services.staff import audit
    from tests.helpers.staff import make_account

    app = make_app(fresh_database)
    with app.app_context():
        try:
            upgrade()
            admin, _ = make_account("admin")
            audit.record("export_created", admin)
            db.session.remove()
            downgrade(revision="0001_responses")
            tables = inspect(db.engine).get_table_names()
            assert "responses" in tables
            assert "accounts" not in tables and "audit_events" not in tables
            upgrade()
            assert {"accounts", "audit_events"} <= set(inspect(db.engine).get_table_names())
            make_account("admin")
        finally:
            db.session.remove()
            db.engine.dispose()


def test_statements_migration_downgrades_to_response_facts(fresh_database):
    from feedback_app.models import Statement, StatementText
    from tests.helpers.staff import make_account

    app = make_app(fresh_database)
    with app.app_context():
        try:
            upgrade()
            author, _ = make_account("coordinator")
            statement = Statement(period="2026-27-q1", service="services.police", status="published", created_by=author.id)
            statement.texts.append(StatementText(language="pl", you_said="Mówiliście", we_did="Zrobiliśmy", status="approved"))
            db.session.add(statement)
            db.session.commit()
            response_id = store({"anything_else": "kept"}, submitted_on=date(2026, 4, 8))
            db.session.remove()
            downgrade(revision="0004_response_facts")
            tables = set(inspect(db.engine).get_table_names())
            assert "statements" not in tables and "statement_texts" not in tables
            # Today's model has columns 0004 does not (0008's narrative): check the row by SQL.
            assert db.session.execute(text("SELECT count(*) FROM responses")).scalar() == 1
            db.session.remove()
            upgrade()
            assert read_response(response_id).answers["anything_else"] == "kept"
            assert {"statements", "statement_texts"} <= set(inspect(db.engine).get_table_names())
            db.session.add(Statement(period="2026-27-q2", service="general", status="draft"))
            db.session.commit()
        finally:
            db.session.remove()
            db.engine.dispose()


def _stamp_objects() -> set[str]:
    """The sequence or table, the function and the triggers that keep the responses' stamp."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            found = connection.execute(
                text(
                    "SELECT relname FROM pg_class WHERE relname = 'responses_stamp' UNION ALL "
                    "SELECT proname FROM pg_proc WHERE proname = 'responses_stamp_bump' UNION ALL "
                    "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'responses_stamp%'"
                )
            )
        else:
            found = connection.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'responses_stamp%'"))
        return set(found.scalars())


def test_stamp_migration_downgrades_to_no_stamp_and_back(fresh_database):
    from feedback_app.services.figures import stamp

    app = make_app(fresh_database)
    with app.test_request_context():
        try:
            upgrade()
            assert _stamp_objects()
            store()
            db.session.remove()
            downgrade(revision="0005_statements")
            assert _stamp_objects() == set()
            # Responses change as before, with nothing to bump (by SQL: today's model has
            # columns 0005 does not).
            db.session.execute(text("UPDATE responses SET is_demo = is_demo"))
            db.session.commit()
            db.session.remove()
            upgrade()
            before = stamp.read()
            store()
            assert stamp.read() > before
        finally:
            db.session.remove()
            db.engine.dispose()
