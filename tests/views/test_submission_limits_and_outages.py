"""Sending a survey when limits are reached or something is down: a kind message, the
answers still on the page, nothing stored twice, nothing half-written."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.responses import submissions
from feedback_app.services.staff import rate_limits
from tests.conftest import running_app
from tests.helpers.staff import make_account, post_form, sign_in
from tests.helpers.survey_walker import SurveyWalker


def count_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def walk_to_review(client, words: str, htmx: bool = False) -> SurveyWalker:
    walker = SurveyWalker(client, "seeking_support", htmx=htmx)
    walker.start()
    while walker.screen.startswith("step"):
        answers = {"seek_support_other": words} if walker.screen == "step:what_would_help" else None
        walker.press(answers=answers)
    assert walker.screen == "review"
    return walker


@pytest.fixture
def limited_app(test_database):
    with running_app(test_database, RATELIMIT_ENABLED=True, SUBMISSION_RATE_LIMIT="1 per hour") as app:
        yield app


def test_a_double_tap_is_stored_once_and_counted_once(limited_app):
    client = limited_app.test_client()
    walker = walk_to_review(client, "pressed twice")
    again = walker.form_values()
    again.setlist("_action", ["submit"])
    walker.press("submit")
    assert walker.screen == "done"
    # The same page sent again (a double tap, or Back and Send): thanked, not refused.
    response = client.post("/s/seeking_support", data=again)
    assert response.status_code == 200
    assert "Please wait" not in response.get_data(as_text=True)
    assert count_stored() == 1


def test_evaluations_are_limited_per_ticket_not_per_address(limited_app):
    """A refuge's tablets share one address: one survivor's evaluation must not use up the
    limit of the next."""
    client = limited_app.test_client()
    account, _ = make_account("worker", pin="2468", organisation="Refuge North")
    assert sign_in(client, account.email).status_code == 302
    for survivor in range(3):
        start = post_form(client, "/worker/start", {"survey": "seeking_support", "language": "en", "mode": "assisted"}, form_page="/worker/")
        walker = SurveyWalker(client, "seeking_support")
        walker._load(start)
        walker.press("start")
        while walker.screen != "review":
            walker.press("next")
        walker.press("submit")
        assert walker.screen == "done", f"evaluation {survivor} was refused"
    assert count_stored() == 3


def test_a_database_outage_keeps_every_answer_on_the_page(app, client, monkeypatch):
    walker = walk_to_review(client, "words I do not want to type twice")
    real_store = submissions.store_response
    calls = []

    def database_down(**fields):
        calls.append(1)
        raise OperationalError("INSERT ...", {}, ConnectionRefusedError("the database is down"))

    monkeypatch.setattr(submissions, "store_response", database_down)
    walker.expected_status = 503
    walker.press("submit")
    assert calls and count_stored() == 0
    assert walker.heading == "Check your answers"
    assert "We could not send your answers just now. They are still here." in walker.text
    assert "words I do not want to type twice" in walker.text
    assert walker.page.select_one("[role=alert]")

    # The database is back: the same press stores the answers, once.
    monkeypatch.setattr(submissions, "store_response", real_store)
    walker.expected_status = 200
    walker.press("submit")
    assert walker.screen == "done"
    assert count_stored() == 1


def test_with_htmx_the_outage_page_is_swapped_in(app, client, monkeypatch):
    walker = walk_to_review(client, "sent with javascript on", htmx=True)
    monkeypatch.setattr(
        submissions, "store_response", lambda **fields: (_ for _ in ()).throw(OperationalError("x", {}, Exception()))
    )
    walker.expected_status = 503
    walker.press("submit")
    assert walker.response.status_code == 503
    assert "<html" not in walker.response.get_data(as_text=True)  # a fragment htmx swaps in
    assert "sent with javascript on" in walker.text and "We could not send your answers just now" in walker.text
    # Survivor pages tell htmx to swap a 503 in (its default is to ignore error responses).
    page = client.get("/").get_data(as_text=True)
    assert '{"code":"503","swap":true}' in page


@pytest.fixture
def app_with_redis_down(test_database):
    # Nothing listens on port 1: every call to the store fails at once.
    with running_app(
        test_database, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", SUBMISSION_RATE_LIMIT="2 per hour"
    ) as app:
        monkey = pytest.MonkeyPatch()
        monkey.setattr(rate_limits, "_store_down_until", 0.0)
        monkey.setattr(rate_limits, "_fallback", rate_limits.MovingWindowRateLimiter(rate_limits.MemoryStorage()))
        yield app
        monkey.undo()


def test_with_redis_down_survivors_still_send_and_limits_count_in_process(app_with_redis_down, caplog):
    client = app_with_redis_down.test_client()
    with caplog.at_level(logging.ERROR, logger="feedback_app.rate_limits"):
        for attempt in range(3):
            walker = walk_to_review(client, f"attempt {attempt}")
            walker.press("submit")
    assert count_stored() == 2  # the third was over the limit, counted in this process
    assert "Please wait" in walker.text and "attempt 2" in walker.text
    outage_lines = [r for r in caplog.records if "rate-limit store unreachable" in r.getMessage()]
    assert len(outage_lines) == 1  # said once, loudly, not on every request
    assert rate_limits.fallback_active()
