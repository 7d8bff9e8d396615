"""The adult survey, screen by screen, as a browser without JavaScript uses it."""

import pytest
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.responses.submissions import open_response
from tests.helpers.survey_walker import SurveyWalker


def stored():
    return [open_response(r) for r in db.session.scalars(select(Response)).all()]


@pytest.fixture(params=[False, True], ids=["plain", "htmx"])
def walker(request, client):
    return SurveyWalker(client, "adult", htmx=request.param)


def test_before_you_start_explains_leaving_and_history(client):
    page = SurveyWalker(client, "adult").open()
    text = page.get_text(" ", strip=True)
    assert "Shift key three times" in text
    assert "does not delete your browser history" in text
    assert "Nothing is sent until" in text
    assert "0808 2000 247" in text


def test_full_path_with_two_services(walker):
    walker.start()
    assert walker.heading == "About you"
    assert "Step 1" in walker.text and "Step 1 of" not in walker.text  # the total depends on the services
    walker.press(answers={"age": "age_25_34", "gender": "woman", "area": "fenland"})
    assert walker.heading == "Services"
    assert walker.page.find(class_="progress").get_text(strip=True) == "Step 2"
    walker.press(answers={"services": ["idva", "police"]})
    assert walker.heading == "Before the next questions"
    assert "Step 3 of 6" in walker.text
    walker.press("continue")
    assert walker.heading == "Police"  # choice-list order, not the order ticked
    assert "Step 3 of 6" in walker.text
    walker.press(answers={"listened.police": "sometimes", "safer.police": "yes", "helpful.police": "Quick response"})
    assert walker.heading.startswith("IDVA service")
    walker.press(answers={"listened.idva": "yes", "better.idva": "More evening calls"})
    assert walker.heading == "Looking ahead"
    walker.press(answers={"seek_support": ["anonymity", "own_language"], "preferred_support": ["phone"]})
    walker.press(answers={"anything_else": "Thank you for asking."})
    assert walker.heading == "Check your answers"
    for shown in ("25 to 34", "Fenland", "Quick response", "More evening calls", "Anonymity and trust", "Not answered"):
        assert shown in walker.text
    assert stored() == []  # nothing is stored before the final submit
    walker.press("submit")
    assert walker.heading == "Thank you"
    assert walker.page.find("form", id="survey-form") is None
    assert "Quick response" not in walker.text
    [response] = stored()
    assert response.answers == {
        "age": "age_25_34",
        "gender": "woman",
        "area": "fenland",
        "services": ["police", "idva"],
        "listened.police": "sometimes",
        "safer.police": "yes",
        "helpful.police": "Quick response",
        "listened.idva": "yes",
        "better.idva": "More evening calls",
        "seek_support": ["anonymity", "own_language"],
        "preferred_support": ["phone"],
        "anything_else": "Thank you for asking.",
    }
    assert (response.survey_slug, response.survey_version) == ("adult", 1)
    assert (response.collection_mode, response.language, response.organisation) == ("online", "en", None)
    assert response.submitted_week.weekday() == 0


def test_every_question_can_be_skipped(walker):
    walker.start()
    while walker.screen.startswith("step"):
        walker.press()
    assert walker.heading == "Check your answers"
    walker.press("submit")
    assert walker.heading == "Thank you"
    assert [r.answers for r in stored()] == [{}]


def test_content_warning_can_skip_the_whole_section(walker):
    walker.start()
    walker.press()
    walker.press(answers={"services": ["police", "housing", "health"]})
    assert walker.heading == "Before the next questions"
    assert "skip these questions" in walker.text.lower()
    walker.press("skip")
    assert walker.heading == "Looking ahead"
    walker.press("back")
    assert walker.heading == "Health (for example GP, hospital, midwife)"


def test_back_keeps_answers(walker):
    walker.start()
    walker.press(answers={"age": "age_65_plus"})
    walker.press("back", answers={"services": ["housing"]})
    assert walker.heading == "About you"
    assert walker.page.find("input", attrs={"name": "age", "value": "age_65_plus"}).has_attr("checked")
    walker.press()
    assert walker.page.find("input", attrs={"name": "services", "value": "housing"}).has_attr("checked")


def test_change_from_check_answers_returns_there(walker):
    walker.start()
    walker.press(answers={"gender": "man"})
    walker.press(answers={"services": ["police"]})
    walker.press("skip")
    walker.press()
    walker.press()
    assert walker.heading == "Check your answers"
    # One row, and one Change, per question; each names its question for screen readers.
    changes = [b for b in walker.form.find_all("button") if b.get("value", "").startswith("change:about_you:")]
    assert [b["value"] for b in changes] == ["change:about_you:age", "change:about_you:gender", "change:about_you:area"]
    assert changes[1].get_text(" ", strip=True) == "Change How would you describe your gender?"
    assert changes[1]["formaction"].endswith("#f-gender")  # without JavaScript, the page opens at the question
    walker.press("change:about_you:gender")
    assert walker.heading == "About you"
    assert walker.page.find("input", attrs={"name": "gender", "value": "woman"}).has_attr("autofocus")
    assert not walker.page.find("h1").has_attr("autofocus")
    walker.press(answers={"gender": "another_way"})
    assert walker.heading == "Check your answers"
    assert "In another way" in walker.text
    walker.press("submit")
    assert stored()[0].answers["gender"] == "another_way"


def test_unticking_a_service_drops_its_answers(walker):
    walker.start()
    walker.press()
    walker.press(answers={"services": ["police", "housing"]})
    walker.press("continue")
    walker.press(answers={"helpful.police": "They came quickly"})
    walker.press(answers={"helpful.housing": "A new flat"})
    walker.press()
    walker.press()
    walker.press("change:services:services")
    walker.press(answers={"services": ["housing"]})
    assert "They came quickly" not in walker.text
    walker.press("submit")
    assert stored()[0].answers == {"services": ["housing"], "helpful.housing": "A new flat"}


def test_double_submit_is_stored_once(client):
    walker = SurveyWalker(client, "adult")
    walker.start()
    while walker.screen.startswith("step"):
        walker.press()
    review_values = walker.form_values()
    walker.press("submit")
    again = client.post("/s/adult", data={**review_values.to_dict(flat=False), "_action": "submit"})
    assert again.status_code == 200 and "Thank you" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_honeypot_is_thanked_but_not_stored(client):
    walker = SurveyWalker(client, "adult")
    walker.start()
    while walker.screen.startswith("step"):
        walker.press()
    walker.press("submit", _website="http://spam.example")
    assert walker.heading == "Thank you"
    assert stored() == []


def test_htmx_steps_return_only_the_fragment(client):
    walker = SurveyWalker(client, "adult", htmx=True)
    walker.start()
    response = walker.client.post(
        "/s/adult", data={**walker.form_values().to_dict(flat=False), "_action": "next"}, headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="survey-screen"')
    assert "<html" not in html and "site-header" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["Cache-Control"].startswith("no-store")
