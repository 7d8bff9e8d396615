"""Bad input gets a kind message and loses nothing."""

import re

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Response
from tests.helpers.survey_walker import SurveyWalker


def count_stored() -> int:
    return len(db.session.scalars(select(Response)).all())


@pytest.fixture
def walker(client):
    walker = SurveyWalker(client, "adult")
    walker.start()
    return walker


def test_a_choice_that_was_not_offered(walker):
    walker.press(answers={"age": "age_99_plus", "gender": "woman"})
    assert walker.heading == "About you"
    assert "Please choose from the options shown." in walker.text
    summary = walker.page.find(class_="error-summary")
    assert summary and summary.find("a")["href"] == "#f-age"
    assert walker.page.find("input", attrs={"name": "gender", "value": "woman"}).has_attr("checked")
    assert walker.page.find(id="f-age")["aria-describedby"].endswith("f-age-error")


def test_two_answers_to_a_single_question(walker):
    walker.press(answers={"age": ["age_16_24", "age_25_34"]})
    assert "Please choose from the options shown." in walker.text


def test_text_over_the_limit_is_kept_and_explained(walker):
    walker.press()
    walker.press(answers={"services": ["police"]})
    walker.press("continue")
    long_text = "Ž" * 5001
    walker.press(answers={"helpful.police": long_text, "listened.police": "yes"})
    assert walker.heading == "Police"
    assert "5,001 characters long" in walker.text and "5,000 characters or fewer" in walker.text
    assert walker.page.find("textarea", attrs={"name": "helpful.police"}).get_text() == long_text
    assert walker.page.find("input", attrs={"name": "listened.police", "value": "yes"}).has_attr("checked")
    walker.press(answers={"helpful.police": long_text[:5000]})
    assert walker.heading == "Looking ahead"


def test_expired_csrf_token_shows_the_answers_again(walker):
    walker.press(answers={"age": "age_35_44", "area": "peterborough"})
    walker.press("next", answers={"services": ["refuge"]}, csrf_token="expired-or-forged")
    assert walker.heading == "Services"
    assert "this page timed out" in walker.text
    assert walker.page.find("input", attrs={"name": "services", "value": "refuge"}).has_attr("checked")
    assert count_stored() == 0
    walker.press()  # the page carries a fresh token: it goes on
    assert walker.heading == "Before the next questions"


def test_missing_csrf_token_on_submit_stores_nothing(walker):
    while walker.screen.startswith("step"):
        walker.press(answers={"anything_else": "still here"} if walker.screen == "step:anything_else" else None)
    walker.press("submit", csrf_token="")
    assert walker.heading == "Check your answers"
    assert "this page timed out" in walker.text and "still here" in walker.text
    assert count_stored() == 0
    walker.press("submit")
    assert walker.heading == "Thank you" and count_stored() == 1


def test_survey_version_changed_mid_way(walker):
    walker.press(answers={"age": "age_45_54"})
    walker.press("next", answers={"services": ["health"]}, _version="0")
    assert walker.heading == "Check your answers"
    assert "This survey was updated while you were answering" in walker.text
    assert "45 to 54" in walker.text
    walker.press("submit")
    assert walker.heading == "Thank you"


def test_a_screen_that_no_longer_exists_starts_again_keeping_answers(walker):
    walker.press("next", answers={"age": "age_45_54"}, _screen="step:vanished")
    assert walker.heading == "About you"
    assert walker.page.find("input", attrs={"name": "age", "value": "age_45_54"}).has_attr("checked")


def test_tampered_hidden_answer_is_caught_at_submit(walker):
    while walker.screen.startswith("step"):
        walker.press()
    walker.press("submit", extra={"area": "atlantis"})
    assert walker.heading == "About you"
    assert "Please choose from the options shown." in walker.text
    assert count_stored() == 0


def test_unknown_survey_is_a_kind_404(client):
    response = client.get("/s/nope")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert client.post("/s/nope", data={}).status_code == 404


def test_rate_limit_keeps_the_answers(test_database):
    from tests.conftest import running_app

    with running_app(test_database, RATELIMIT_ENABLED=True, SUBMISSION_RATE_LIMIT="1 per hour") as app:
        client = app.test_client()
        for attempt in range(2):
            walker = SurveyWalker(client, "seeking_support")
            walker.start()
            while walker.screen.startswith("step"):
                walker.press(answers={"seek_support_other": f"attempt {attempt}"} if walker.screen == "step:what_would_help" else None)
            walker.press("submit")
        assert walker.heading == "Check your answers"
        # The real wait: the one submission this hour frees its place about an hour after it.
        assert re.search(r"Please wait (59|60) minutes, then press \"Send my answers\" again", walker.text)
        assert "attempt 1" in walker.text
        assert count_stored() == 1


def test_rate_limit_key_is_not_the_address(app):
    from feedback_app.security import rate_limit_key

    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.23"}):
        key = rate_limit_key()
    assert "198.51.100.23" not in key and len(key) == 32
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.24"}):
        assert rate_limit_key() != key
