"""The export log: a download is one line in the export log and one audit event, committed
together (or not at all)."""

import pytest

from feedback_app.extensions import db
from feedback_app.models import ExportRecord
from feedback_app.services.figures import periods
from feedback_app.services.reports import export_log
from feedback_app.services.staff import audit
from tests.helpers.staff import make_account

Q1 = periods.quarter(2024, 1)


def test_a_summary_file_is_logged_and_audited(app):
    coordinator, _ = make_account("coordinator")
    record_id = export_log.log_export("summary_csv", coordinator, Q1, True, 12)
    db.session.rollback()  # committed already: nothing left to lose
    record = db.session.get(ExportRecord, record_id)
    assert (record.kind, record.rows, record.actor) == ("summary_csv", 12, coordinator.email)
    assert record.scope == "Themed summary; Q1 2024/25; demo responses included"
    (event,) = audit.events_for("export_created")
    assert event.detail == "summary_csv: Themed summary; Q1 2024/25; demo responses included"
    assert event.account_id == coordinator.id


def test_a_raw_export_has_its_own_audit_action_and_its_rows_come_later(app):
    admin, _ = make_account("admin")
    record_id = export_log.log_export(export_log.RAW_KIND, admin, periods.ALL_TIME, False)
    assert db.session.get(ExportRecord, record_id).rows is None
    (event,) = audit.events_for("raw_export")
    assert event.detail == "Raw responses; all time; demo responses left out"
    assert audit.events_for("export_created") == []
    export_log.finish_export(record_id, 40)
    assert db.session.get(ExportRecord, record_id).rows == 40


def test_an_unknown_kind_is_refused_and_nothing_is_written(app):
    coordinator, _ = make_account("coordinator")
    with pytest.raises(ValueError):
        export_log.log_export("summary_docx", coordinator, Q1, True, 1)
    db.session.rollback()
    assert ExportRecord.query.count() == 0 and audit.events_for("export_created") == []


def test_the_log_line_and_the_audit_event_are_one_transaction(app, monkeypatch):
    coordinator, _ = make_account("coordinator")

    def failing_audit(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", failing_audit)
    with pytest.raises(RuntimeError):
        export_log.log_export("summary_pdf", coordinator, Q1, True, 3)
    db.session.rollback()
    assert ExportRecord.query.count() == 0


def test_the_scope_is_kept_to_the_column_size(app):
    coordinator, _ = make_account("coordinator")
    record = export_log.record_export("summary_pdf", coordinator, "x" * 500, 1)
    assert len(record.scope) == export_log.SCOPE_LIMIT


def test_the_log_is_paged_newest_first(app):
    coordinator, _ = make_account("coordinator")
    for rows in range(3):
        export_log.log_export("summary_csv", coordinator, Q1, True, rows)
    page = export_log.list_exports(per_page=2)
    assert [r.rows for r in page.items] == [2, 1] and (page.pages, page.total) == (2, 3)
