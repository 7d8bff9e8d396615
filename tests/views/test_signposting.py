"""What survivors are signposted to: helplines that fit the survey's audience, in their
language; a calm "If you are not safe now" panel after "I did not feel safer"; a thank-you
page that says what happens next."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.responses.submissions import open_response
from tests.helpers.survey_walker import SurveyWalker


def _footer(response) -> str:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return page.find("footer").get_text(" ", strip=True)


def test_the_adult_survey_signposts_adult_lines_and_the_young_peoples_survey_youth_lines(client):
    adult = _footer(client.get("/s/adult"))
    for line in ("999", "National Domestic Abuse Helpline", "0808 2000 247", "Men's Advice Line", "Galop"):
        assert line in adult
    assert "Childline" not in adult and "The Mix" not in adult
    assert "the UK's emergency number" in adult
    assert "Free to call. Confidential. Open 24 hours, every day. Interpreters available." in adult
    assert "Monday to Friday, 10am to 8pm." in adult  # opening hours where a line is not always open

    young = _footer(client.get("/s/young_person"))
    for line in ("999", "Childline", "0800 1111", "The Mix", "For anyone under 25."):
        assert line in young
    assert "Men's Advice Line" not in young

    landing = _footer(client.get("/"))
    assert "Childline" in landing and "National Domestic Abuse Helpline" in landing


def test_helplines_are_shown_in_the_pages_language_with_numbers_left_to_right(client):
    polish = _footer(client.get("/s/adult?lang=pl"))
    assert "Krajowy telefon zaufania dla osób doznających przemocy domowej" in polish and "Połączenie bezpłatne." in polish
    assert "brytyjski numer alarmowy" in polish  # 999 explained
    urdu = BeautifulSoup(client.get("/s/adult?lang=ur").get_data(as_text=True), "html.parser")
    number = urdu.find("footer").find("a", href="tel:08082000247")
    assert number["dir"] == "ltr"


def _to_the_police_screen(client):
    walker = SurveyWalker(client, "adult")
    walker.start()
    walker.press()
    walker.press(answers={"services": ["police", "idva"]})
    walker.press("continue")
    assert walker.heading == "Police"
    return walker


def test_not_feeling_safer_brings_a_calm_panel_on_the_next_screen_only(client):
    walker = _to_the_police_screen(client)
    assert "If you are not safe now" not in walker.text
    walker.press(answers={"safer.police": "no"})
    assert walker.heading.startswith("IDVA service")
    panel = walker.page.find("section", class_="safety-panel")
    assert panel is not None and panel.find("h2").get_text(strip=True) == "If you are not safe now"
    assert "999" in panel.get_text() and panel.find("a", href="tel:08082000247")
    assert "carry on" in panel.get_text()
    assert panel.get("role") is None  # calm: not an alert
    walker.press(answers={"safer.idva": "yes"})
    assert walker.page.find("section", class_="safety-panel") is None  # once, not on every screen
    while walker.screen != "review":
        walker.press()
    walker.press("submit")
    [row] = db.session.scalars(select(Response)).all()
    assert open_response(row).answers["safer.police"] == "no"  # stored as answered, nothing added
    assert set(open_response(row).answers) == {"services", "safer.police", "safer.idva"}


def test_feeling_safer_brings_no_panel(client):
    walker = _to_the_police_screen(client)
    walker.press(answers={"safer.police": "sometimes"})
    assert walker.page.find("section", class_="safety-panel") is None


def test_the_thank_you_page_says_what_happens_next_instead_of_repeating_the_footer(client):
    walker = SurveyWalker(client, "adult")
    walker.start()
    while walker.screen != "review":
        walker.press()
    walker.press("submit")
    screen = walker.page.find(id="survey-screen")
    text = screen.get_text(" ", strip=True)
    assert "What happens next" in text and "Every three months" in text and "Small numbers are never shown" in text
    assert screen.find("ul", class_="helplines") is None  # the footer has them
    assert walker.page.find("footer").find("ul", class_="helplines") is not None
