"""The public “You said, we did” page: a survivor page like the others (quick exit, nothing
cached, every offered language; the test client checks those on every response), listing
published statements by quarter, newest first, then by service, only in the languages whose
wording is approved, never English text on another language's page, and no counts."""

from __future__ import annotations

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup

from feedback_app.extensions import db
from feedback_app.services.figures import periods
from feedback_app.services.impact import statements
from tests.helpers.pages import check_page
from tests.helpers.staff import make_account
from tests.helpers.survey_walker import SurveyWalker

URL = "/you-said-we-did"
TODAY = date.today()
THIS_QUARTER = periods.quarter_of(TODAY)
EARLIER = periods.quarter(THIS_QUARTER.year - 1, 1)


def publish(service: str, you_said: str, we_did: str, *, period=THIS_QUARTER, translations=None, approve=True):
    """A statement written, translated (``{language: (you_said, we_did)}``) and published."""
    author, _ = make_account("coordinator")
    result = statements.create_statement(
        period.token, service, you_said, we_did, approve=approve, by=author, today=TODAY
    )
    statement = statements.get_statement(result.text.statement_id)
    for language, (said, did) in (translations or {}).items():
        statements.save_wording(statement, language, said, did, approve=True, by=author, today=TODAY)
    if approve:
        statements.publish(statement, author)
    return statement


def visit(client, language: str = "en"):
    response = client.get(f"{URL}?lang={language}")
    assert response.status_code == 200
    return response, check_page(response)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("language", ["en", "pl", "lt", "ur"])
def test_with_nothing_published_the_page_says_so_kindly_in_every_language(client, language):
    response, page = visit(client, language)
    assert response.headers["Cache-Control"].startswith("no-store")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert page.find("html")["lang"] == language
    assert page.find("html")["dir"] == ("rtl" if language == "ur" else "ltr")
    assert page.select_one(".site-header a.quick-exit") is not None
    notice = page.find("main").find(class_="notice")
    assert notice is not None and page.find("main").find("dl") is None
    if language == "en":
        assert "Nothing has been published here yet." in notice.get_text()
    else:
        assert "Nothing has been published" not in page.get_text()  # translated
    assert page.find("main").find("a", hreflang="en") is None


def test_published_statements_are_grouped_by_quarter_newest_first_then_by_service(client):
    publish("services.housing", "Housing was slow.", "A named housing officer now calls back.", period=EARLIER)
    publish("services.police", "Officers did not explain.", "Officers leave a card.")
    publish("general", "Forms were long.", "Forms are shorter.")
    removed = publish("services.other", "Removed service said.", "Removed service did.")
    removed.service = "services.no_longer_asked"  # a service the surveys no longer ask about
    db.session.commit()
    publish("services.police", "Not published.", "Still a draft.", approve=False)
    _, page = visit(client)
    main = page.find("main")
    periods_shown = [squeeze(h.get_text(" ", strip=True)) for h in main.find_all("h2")]
    assert periods_shown == [
        squeeze(f"{months(THIS_QUARTER)}"),
        squeeze(f"{months(EARLIER)}"),
    ]
    first, second = main.find_all("section", class_="you-said-period")
    assert [h.get_text(strip=True) for h in first.find_all("h3")] == ["Across all services", "Police", "Other services"]
    assert [h.get_text(strip=True) for h in second.find_all("h3")] == ["Housing"]
    police = first.find_all("ul", class_="you-said-list")[1]
    assert [dt.get_text(strip=True) for dt in police.find_all("dt")] == ["You said", "We did"]
    assert [dd.get_text(strip=True) for dd in police.find_all("dd")] == ["Officers did not explain.", "Officers leave a card."]
    assert "Not published." not in main.get_text()


def months(period) -> str:
    names = {1: "January", 4: "April", 7: "July", 10: "October", 3: "March", 6: "June", 9: "September", 12: "December"}
    return f"{names[period.start.month]} – {names[period.end.month]} {period.end.year}"


def test_each_language_shows_only_its_approved_wording_and_points_kindly_to_english(client):
    publish("services.police", "Officers did not explain.", "Officers leave a card.", translations={
        "pl": ("Policjanci nie wyjaśniali.", "Policjanci zostawiają kartkę."),
        "ur": ("افسران نے وضاحت نہیں کی۔", "افسران اب ایک کارڈ چھوڑتے ہیں۔"),
    })
    publish("general", "Forms were long.", "Forms are shorter.")

    _, polish = visit(client, "pl")
    text = polish.find("main").get_text(" ", strip=True)
    assert "Policjanci nie wyjaśniali." in text and "Policjanci zostawiają kartkę." in text
    assert "Officers" not in text and "Forms" not in text  # never English text on the Polish page
    more = polish.find("main").find("a", hreflang="en")
    assert more["href"] == f"{URL}?lang=en" and more.get_text(strip=True) != ""
    notice = more.find_parent(class_="notice").get_text(" ", strip=True)
    assert not re.search(r"\d", notice)  # no counts, not even of statements

    _, urdu = visit(client, "ur")
    assert "افسران اب ایک کارڈ چھوڑتے ہیں۔" in urdu.find("main").get_text()
    assert urdu.find("html")["dir"] == "rtl"

    _, lithuanian = visit(client, "lt")
    main = lithuanian.find("main")
    assert main.find("dl") is None and "Officers" not in main.get_text()
    assert main.find("a", hreflang="en") is not None
    assert "Nothing has been published" not in main.get_text()

    _, english = visit(client, "en")
    text = english.find("main").get_text(" ", strip=True)
    assert "Officers leave a card." in text and "Forms are shorter." in text
    assert english.find("main").find("a", hreflang="en") is None


def test_the_landing_and_thank_you_pages_link_to_it(client):
    landing = check_page(client.get("/"))
    assert landing.find("main").find("a", href=URL) is not None
    walker = SurveyWalker(client, "adult")
    walker.start()
    while walker.screen != "review":
        walker.press()
    walker.press("submit")
    next_steps = walker.page.find(id="survey-screen").find("ul", class_="next-steps")
    link = next_steps.find("a", href=URL)
    assert link is not None and "You said, we did" in link.get_text()


@pytest.mark.parametrize("language", ["pl", "lt", "ur"])
def test_the_links_and_the_page_are_translated(client, language):
    english = BeautifulSoup(client.get(f"{URL}?lang=en").get_data(as_text=True), "html.parser")
    _, page = visit(client, language)
    assert page.find("h1").get_text(strip=True) != english.find("h1").get_text(strip=True)
    landing = check_page(client.get(f"/?lang={language}"))
    assert landing.find("main").find("a", href=URL).get_text(strip=True) != (
        "You said, we did: what changed because of what people told us"
    )
