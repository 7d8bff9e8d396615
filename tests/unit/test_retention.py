"""Retention: exactly the responses past the period go, with everything made from them, and
nothing else; a dry run deletes nothing; the purge is audited with counts only."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import AuditEvent, CommentCoding, CommentGloss, Quote, Response
from feedback_app.services.insight import coding, comments
from feedback_app.services.insight import quotes as quote_service
from feedback_app.services.insight.themes import create_theme
from feedback_app.services.operations import retention
from tests.helpers.responses import store
from tests.helpers.staff import make_account

TODAY = date(2026, 11, 28)  # a Saturday; its week starts on Monday 2026-11-23


def _kept_and_old(app):
    """Three responses, each coded, glossed and proposed as a quote: one from 2020 (past any
    three years), one from the first week kept on ``TODAY``, one from this month."""
    coordinator, _ = make_account("coordinator")
    theme = create_theme("Kept informed", "", "services.police", "improvement")
    old_words = {"services": ["police"], "better.police": "Call me back about Mr Smith"}
    old = store(old_words, submitted_on=date(2020, 1, 8))
    edge = store(old_words, submitted_on=date(2023, 11, 28))  # week of 2023-11-27: the first week kept on TODAY
    new = store(old_words, submitted_on=date.today())
    for response_id in (old, edge, new):
        coding.assign(response_id, "better.police", theme.id, coordinator)
        comments.save_gloss(response_id, "better.police", "call back")
        quote_service.propose(response_id, "better.police", coordinator)
    return coordinator, old, edge, new


def test_the_cutoff_is_counted_from_the_submission_week(app):
    assert retention.cutoff(TODAY) == date(2023, 11, 27)  # 2023-11-28 falls in the week of the 27th
    app.config["RETENTION_YEARS"] = 1
    assert retention.cutoff(date(2024, 2, 29)) == date(2023, 2, 27)  # no 29 February a year earlier


def test_a_dry_run_counts_by_quarter_and_survey_and_deletes_nothing(app):
    _coordinator, old, edge, new = _kept_and_old(app)
    app.config["RETENTION_YEARS"] = 5  # the run uses today's date: only the 2020 response is that old
    result = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    due = retention.due()
    assert due.total == 1 and due.by_quarter_and_survey == {("Q4 2019/20", "adult"): 1}
    assert "Q4 2019/20" in result.output and "1 responses would be deleted. Nothing was deleted" in result.output
    assert len(db.session.scalars(select(Response)).all()) == 3


def test_purge_deletes_exactly_what_is_past_retention_with_all_made_from_it(app):
    _coordinator, old, edge, new = _kept_and_old(app)
    assert retention.any_due(TODAY)
    deleted = retention.purge(TODAY)
    assert (deleted.responses, deleted.codings, deleted.glosses, deleted.quotes) == (1, 1, 1, 1)
    assert {r.id for r in db.session.scalars(select(Response))} == {edge, new}
    for model in (CommentCoding, CommentGloss, Quote):
        assert {row.response_id for row in db.session.scalars(select(model))} == {edge, new}, model
    assert not retention.any_due(TODAY)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention_purge")).all()
    assert "1 responses from weeks before 2023-11-27" in event.detail  # counts and the week only
    assert "Smith" not in event.detail and "call back" not in event.detail


def test_the_cli_applies_the_purge(app):
    _coordinator, old, edge, new = _kept_and_old(app)
    app.config["RETENTION_YEARS"] = 5
    result = app.test_cli_runner().invoke(args=["retention", "purge", "--apply"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 responses" in result.output
    assert {r.id for r in db.session.scalars(select(Response))} == {edge, new}


def test_the_dashboard_warns_while_responses_wait_for_the_purge(app):
    from tests.helpers.staff import sign_in

    _account, secret = make_account("coordinator", "c@example.org")
    client = app.test_client()
    sign_in(client, "c@example.org", secret=secret)
    warning = "older than the retention period (3 years)"
    store({"services": ["police"]}, submitted_on=date.today())
    assert warning not in client.get("/coordinator/").get_data(as_text=True)
    store({"services": ["police"]}, submitted_on=date(2020, 1, 8))
    page = client.get("/coordinator/").get_data(as_text=True)
    assert warning in page and "ask an admin to run the retention purge" in page
