"""Wording per audience and the partnership's name as data.

The young-person survey's texts are messages of their own (msgctxt "young_person"), so the
same English reads differently for young people: Lithuanian says "tu" to them and "jūs" to
adults. Staff pages, which show master wording from any survey, still translate
young-person-only labels. The partnership's name comes from the partnership file, in the
page's language."""

import pytest

from feedback_app.i18n import survey_text
from tests.conftest import running_app
from tests.helpers.pages import check_page
from tests.helpers.partnership import partnership_toml
from tests.helpers.survey_walker import SurveyWalker


def walk_to(client, slug: str, locale: str, screen: str, answers: dict | None = None) -> SurveyWalker:
    client.get(f"/?lang={locale}")
    walker = SurveyWalker(client, slug)
    walker.start()
    while walker.screen != screen:
        kind = walker.screen.split(":")[0]
        if kind == "warning":
            walker.press("continue")
        else:
            page_answers = {k: v for k, v in (answers or {}).items() if walker.page.find("input", attrs={"name": k})}
            walker.press(answers=page_answers)
    return walker


def test_the_same_english_is_worded_for_each_audience_in_lithuanian(client):
    young = walk_to(client, "young_person", "lt", "step:age")
    assert young.page.find("legend").get_text(strip=True) == "Kiek tau metų?"
    assert young.heading == "Apie tave"
    adult = walk_to(client, "adult", "lt", "step:about_you")
    legends = [legend.get_text(strip=True) for legend in adult.page.find_all("legend")]
    assert "Kiek jums metų?" in legends
    assert adult.heading == "Apie jus"


def test_the_young_person_survey_asks_what_helped_not_who(client):
    walker = walk_to(client, "young_person", "lt", "step:helped.school", answers={"supporters": ["school"]})
    assert walker.heading == "Mokykla"  # the supporter's name, through the same context
    assert walker.page.find("label", class_="question-label").get_text(strip=True) == "Kuo tau padėjo?"
    walker.press()
    walker.press()
    while walker.screen != "review":
        walker.press()
    # Check answers shows the young-person wording too.
    questions = [dt.get_text(strip=True) for dt in walker.page.select(".summary-list dt")]
    assert "Kuo tau padėjo?" in questions and "Kiek tau metų?" in questions


def test_survey_text_falls_back_to_the_young_person_message_for_staff(app):
    with app.test_request_context("/?lang=lt"):
        assert survey_text("How old are you?") == "Kiek jums metų?"
        assert survey_text("How old are you?", "young_person") == "Kiek tau metų?"
        assert survey_text("Family") == "Šeima"  # only the young-person survey has it
        assert survey_text("Not a survey text") == "Not a survey text"


def test_coordinators_see_young_person_labels_translated(coordinator):
    response = coordinator.get("/coordinator/?lang=pl")
    page = check_page(response)
    services = [option.get_text(strip=True) for option in page.select("select[name=service] option")]
    assert "Rodzina" in services and "Family" not in services


def test_the_partnership_is_named_in_the_page_language(client):
    for locale, name in (
        ("en", "Cambridgeshire & Peterborough DASV Partnership"),
        ("pl", "Partnerstwo Cambridgeshire i Peterborough na rzecz przeciwdziałania przemocy domowej i seksualnej"),
        ("ur", "گھریلو بدسلوکی اور جنسی تشدد کے خلاف کیمبرج شائر اور پیٹربرو کی پارٹنرشپ"),
    ):
        page = check_page(client.get(f"/privacy?lang={locale}"))
        assert name in [bdi.get_text() for bdi in page.find_all("bdi")], locale


@pytest.mark.parametrize(
    ("table", "shown_in_polish"),
    [
        ("", "Cambridgeshire & Peterborough DASV Partnership"),  # no table: PARTNERSHIP_NAME
        ('[partnership]\nname = "The Example Partnership"\n', "The Example Partnership"),  # English only
        ('[partnership.name]\nen = "The Example Partnership"\npl = "Partnerstwo Przykładowe"\n', "Partnerstwo Przykładowe"),
    ],
)
def test_the_partnership_name_falls_back_to_english(test_database, tmp_path, table, shown_in_polish):
    path = tmp_path / "partnership.toml"
    text = partnership_toml()
    path.write_text(text.replace("[controller]", table + "\n[controller]", 1), encoding="utf-8")
    with running_app(test_database, PARTNERSHIP_FILE=str(path)) as app:
        page = check_page(app.test_client().get("/privacy?lang=pl"))
        assert shown_in_polish in [bdi.get_text() for bdi in page.find_all("bdi")]
