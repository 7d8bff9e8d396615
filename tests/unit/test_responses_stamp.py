"""The responses' stamp (``services/figures/stamp.py``, kept by the triggers of migration
0005): it moves on with every change to responses however it is made, stays put while
nothing changes, reads nothing of ``responses``, and figures computed while a change is being
written are never kept under it. The test database is migrated to the head, so these tests
also fail if a later migration loses the triggers."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date

import pytest
from sqlalchemy import delete, event, insert, text, update

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.demo import responses as demo
from feedback_app.services.figures import stamp
from feedback_app.services.figures.cache import aggregate_cache
from feedback_app.services.figures.counting import compute
from feedback_app.services.figures.filters import Filters
from feedback_app.services.operations import retention
from feedback_app.services.responses.submissions import build_response
from tests.helpers.responses import store

COLUMNS = [column.key for column in Response.__table__.columns]


def built(count: int, **fields) -> list[dict]:
    """Sealed rows as Core inserts them (not added to the session)."""
    values = dict(
        survey_slug="adult", survey_version=1, language="en", collection_mode="online",
        answers={"gender": "woman"}, submitted_on=date(2026, 11, 19),
    )
    values.update(fields)
    rows = []
    for _ in range(count):
        response = build_response(response_id=uuid.uuid4(), **values)
        rows.append({key: getattr(response, key) for key in COLUMNS})
    return rows


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


# -- each way of changing responses -----------------------------------------------------------
def orm_insert():
    store()


def core_bulk_insert():
    db.session.execute(insert(Response), built(3))
    db.session.commit()


def driver_bulk_insert():
    """As the benchmarks load: PostgreSQL's COPY, SQLite's executemany, under SQLAlchemy."""
    rows = built(3)
    with db.engine.begin() as connection:
        driver = connection.connection.driver_connection
        names = ", ".join(COLUMNS)
        if is_postgresql():
            with driver.cursor() as cursor, cursor.copy(f"COPY responses ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[key] for key in COLUMNS])
        else:
            statement = f"INSERT INTO responses ({names}) VALUES ({', '.join('?' * len(COLUMNS))})"
            driver.cursor().executemany(statement, [[sqlite_value(row[key]) for key in COLUMNS] for row in rows])


def sqlite_value(value):
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, date):
        return value.isoformat()
    return value


def plain_delete():
    db.session.execute(delete(Response).where(Response.survey_slug == "adult"))
    db.session.commit()


def retention_purge():
    store(submitted_on=date(2010, 1, 4))
    before = stamp.read()
    assert retention.purge(today=date(2026, 11, 19)).responses == 1
    return before


def remove_demo_data():
    store(is_demo=True)
    before = stamp.read()
    assert demo.remove_demo().responses == 1
    return before


def demo_flag_changed():
    db.session.execute(update(Response).values(is_demo=True))
    db.session.commit()


def week_changed():
    db.session.execute(update(Response).values(submitted_week=date(2020, 1, 6)))
    db.session.commit()


def sql_in_psql():
    """Plain SQL on the side, as an administrator might."""
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM responses"))


CHANGES = [
    orm_insert, core_bulk_insert, driver_bulk_insert, plain_delete, retention_purge, remove_demo_data,
    demo_flag_changed, week_changed, sql_in_psql,
]


def figures_now() -> tuple:
    figures = compute(Filters())
    return figures.total, figures.demo, tuple((q.period.token, q.count) for q in figures.trend)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_every_change_moves_the_stamp_on_and_shows_at_once(app, change):
    store()
    store()
    figures_now()  # cached under the stamp as it is
    before = stamp.read()
    assert stamp.read() == before  # nothing changed: the same stamp, so the cache is used
    before = change() or before
    after = stamp.read()
    assert after is not None and after > before
    # The dashboard's figures follow at once: what the cache serves is what a fresh
    # computation gives.
    served = figures_now()
    aggregate_cache().clear()
    assert served == figures_now()


def test_the_dashboard_figures_follow_each_change_without_clearing_the_cache(app):
    store()
    assert figures_now()[:2] == (1, 0)
    core_bulk_insert()
    assert figures_now()[:2] == (4, 0)
    demo_flag_changed()
    assert figures_now()[:2] == (4, 4)
    trend = figures_now()[2]
    week_changed()
    assert figures_now()[:2] == (4, 4) and figures_now()[2] != trend
    plain_delete()
    assert figures_now()[:2] == (0, 0)


def test_the_stamp_stays_put_and_the_cache_is_used_while_nothing_changes(app):
    store()
    cache = aggregate_cache()
    first = compute(Filters())
    misses = cache.misses
    assert stamp.read() == stamp.read()
    assert compute(Filters()) is first and cache.misses == misses


def test_the_stamp_never_goes_back(app):
    seen = [stamp.read()]
    for change in (orm_insert, core_bulk_insert, demo_flag_changed, plain_delete, orm_insert):
        change()
        seen.append(stamp.read())
    assert seen == sorted(seen) and len(set(seen)) == len(seen)


def test_figures_computed_while_a_response_is_being_written_are_not_kept(app):
    """A sequence moves on before the change commits: figures computed in between leave the
    change out, and must not be served once it has committed."""
    store()
    assert compute(Filters()).total == 1
    with db.engine.connect() as other:  # another request, in the middle of its transaction
        other.execute(insert(Response), built(1))
        assert compute(Filters()).total == 1  # not committed yet: not counted
        db.session.remove()
        other.commit()
    assert compute(Filters()).total == 2


def test_a_change_rolled_back_changes_no_figures(app):
    store()
    assert compute(Filters()).total == 1
    with db.engine.connect() as other:
        other.execute(insert(Response), built(2))
        other.rollback()
    assert compute(Filters()).total == 1
    assert stamp.read() is not None  # nobody is writing any more: cached again


# -- what reading it costs -------------------------------------------------------------------
def test_reading_the_stamp_reads_no_response(app):
    store()
    db.session.commit()
    if is_postgresql():
        read = postgresql_relations_read()
        assert "responses" not in read
        assert read <= {"responses_stamp", "pg_database"}
    else:
        assert sqlite_tables_read() == {"responses_stamp"}


def postgresql_relations_read() -> set[str]:
    """The relations in the plans of the statements ``stamp.read()`` runs."""
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        stamp.read()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert statements
    cursor = db.session.connection().connection.driver_connection.cursor()
    relations: set[str] = set()
    for statement, parameters in statements:
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
        plan = cursor.fetchone()[0]
        relations |= set(_relation_names(plan if not isinstance(plan, str) else json.loads(plan)))
    return relations


def _relation_names(node):
    if isinstance(node, dict):
        if "Relation Name" in node:
            yield node["Relation Name"]
        for value in node.values():
            yield from _relation_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _relation_names(value)


def sqlite_tables_read() -> set[str]:
    """The tables SQLite's authorizer is asked about while ``stamp.read()`` runs."""
    read: set[str] = set()

    def authorizer(action, table, column, database, trigger):
        if action == sqlite3.SQLITE_READ and table:
            read.add(table)
        return sqlite3.SQLITE_OK

    driver = db.session.connection().connection.driver_connection
    driver.set_authorizer(authorizer)
    try:
        stamp.read()
    finally:
        driver.set_authorizer(None)
    return read
