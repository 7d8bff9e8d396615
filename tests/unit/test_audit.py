"""The audit log is append-only, filterable, paginated and holds nothing about devices."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, inspect, update

from feedback_app.extensions import db
from feedback_app.models import AuditEvent, AuditLogIsAppendOnly
from feedback_app.services.staff import audit
from tests.conftest import running_app
from tests.helpers.staff import make_account


@pytest.fixture
def app(test_database):
    """The audit log's own tests start from an empty log: no narrative key made (that is audited)."""
    with running_app(test_database, narratives=False) as app:
        yield app


def test_record_and_list_newest_first(app):
    admin, _ = make_account("admin")
    audit.record("export_created", admin, detail="all surveys, CSV")
    audit.record("responses_viewed", admin)
    page = audit.list_events()
    assert [e.action for e in page.events][:2] == ["responses_viewed", "export_created"]
    assert page.events[1].actor == admin.email and page.events[1].account_id == admin.id


def test_unknown_actions_are_refused(app):
    with pytest.raises(ValueError):
        audit.record("something_else", None)


def test_detail_is_kept_short(app):
    event = audit.record("export_created", "command line", detail="x" * 500)
    assert len(event.detail) == audit.DETAIL_LIMIT


def test_events_cannot_be_changed(app):
    event = audit.record("sign_in", "command line")
    event.detail = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_events_cannot_be_deleted(app):
    event = audit.record("sign_in", "command line")
    db.session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_bulk_changes_are_refused_too(app):
    audit.record("sign_in", "command line")
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEvent).values(detail="changed"))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEvent))
    db.session.rollback()
    assert audit.events_for()[0].detail is None


def test_no_column_could_hold_a_device_or_address(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("audit_events")}
    assert columns == {"id", "occurred_at", "account_id", "actor", "action", "target", "detail"}
    account_columns = " ".join(c["name"] for c in inspect(db.engine).get_columns("accounts"))
    for word in ("ip", "addr", "agent", "device"):
        assert word not in columns and f"_{word}" not in account_columns


def _at(event_id: int, moment: datetime) -> None:
    """Back-date an event for a test (around the ORM, which refuses changes)."""
    with db.engine.begin() as connection:
        connection.execute(AuditEvent.__table__.update().where(AuditEvent.__table__.c.id == event_id).values(occurred_at=moment))


def test_filters_by_action_account_and_dates(app):
    admin, _ = make_account("admin")
    worker, _ = make_account("worker")
    old = audit.record("export_created", admin)
    _at(old.id, datetime(2026, 1, 10, 23, 30, tzinfo=timezone.utc))
    audit.record("responses_viewed", admin)
    audit.record("password_reset", admin, worker)
    db.session.expire_all()

    by_action = audit.list_events(audit.AuditFilters(action="responses_viewed"))
    assert [e.action for e in by_action.events] == ["responses_viewed"]

    about_worker = audit.list_events(audit.AuditFilters(account_id=worker.id))
    assert {e.action for e in about_worker.events} == {"account_created", "password_reset"}

    january = audit.list_events(audit.AuditFilters(date_from=date(2026, 1, 10), date_to=date(2026, 1, 10)))
    assert [e.id for e in january.events] == [old.id]
    later = audit.list_events(audit.AuditFilters(date_from=date(2026, 1, 11)))
    assert old.id not in [e.id for e in later.events] and later.total >= 2


def test_pagination(app):
    for n in range(7):
        audit.record("export_created", "command line", detail=f"export {n}")
    first = audit.list_events(page=1, per_page=3)
    assert first.total == 7 and first.pages == 3 and first.has_next and not first.has_previous
    last = audit.list_events(page=3, per_page=3)
    assert [e.detail for e in last.events] == ["export 0"] and not last.has_next
    beyond = audit.list_events(page=99, per_page=3)
    assert beyond.events == []


def test_times_are_utc_and_precise(app):
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    event = audit.record("sign_in", "command line")
    db.session.expire_all()
    stored = db.session.get(AuditEvent, event.id).occurred_at
    stored = stored if stored.tzinfo else stored.replace(tzinfo=timezone.utc)
    assert before <= stored <= datetime.now(timezone.utc) + timedelta(seconds=1)
