"""Surveys in Polish and Lithuanian on a phone, switching language mid-way; Urdu right to left."""

import pytest
from babel.support import Translations
from sqlalchemy import select

from feedback_app.config import PROJECT_ROOT
from feedback_app.extensions import db
from feedback_app.models import Response
from tests.browser.conftest import PHONE, TABLET, run_axe
from tests.browser.survey_driver import complete_survey

BUTTONS = ("Start", "Continue", "Continue to these questions", "Send my answers")


def labels(locale):
    translations = Translations.load(str(PROJECT_ROOT / "translations"), [locale])
    return {name: translations.gettext(name) for name in BUTTONS}


def test_adult_survey_in_polish(app, page, live_server, requests_seen):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/?lang=pl")
    headings = complete_survey(page, live_server.url, "adult", choose={"services": ["police"]},
                               text="Szybko przyjechali.", labels=labels("pl"), check_axe=True)
    translations = Translations.load(str(PROJECT_ROOT / "translations"), ["pl"])
    assert headings[-1] == translations.gettext("Thank you") != "Thank you"
    assert page.locator("html").get_attribute("lang") == "pl"
    [row] = db.session.scalars(select(Response)).all()
    assert row.language == "pl"
    assert requests_seen.foreign() == []


def test_young_person_survey_in_lithuanian_switching_mid_way(app, page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/s/young_person?lang=en")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:age']", state="attached")
    page.locator("input[value=age_16_17]").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:gender']", state="attached")
    page.locator("input[value=girl]").check()
    # Switch to Lithuanian with this screen's answer not yet sent: nothing may be lost.
    page.get_by_role("button", name="lietuvių", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'lt'")
    assert page.locator("input[value=girl]").is_checked()
    assert run_axe(page) == []
    lt = labels("lt")
    page.get_by_role("button", name=lt["Continue"], exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:supporters']", state="attached")
    page.locator("input[value=school]").check()
    page.get_by_role("button", name=lt["Continue"], exact=True).click()
    page.wait_for_selector("input[name=_screen][value^='warning']", state="attached")
    page.get_by_role("button", name=lt["Continue to these questions"], exact=True).click()
    for _ in range(10):
        page.wait_for_selector("#survey-screen h1")
        state = page.locator("input[name=_screen]").get_attribute("value")
        if state == "review":
            break
        for area in page.locator("textarea").all():
            area.fill("Mokytoja mane išklausė.")
        page.get_by_role("button", name=lt["Continue"], exact=True).click()
        page.wait_for_function(
            "p => document.querySelector('input[name=_screen]').value !== p", arg=state)
    assert run_axe(page) == []
    page.get_by_role("button", name=lt["Send my answers"], exact=True).click()
    page.wait_for_selector("input[name=_screen]", state="detached")
    [row] = db.session.scalars(select(Response)).all()
    assert row.language == "lt"
    from tests.helpers.narratives import opened_answers

    answers = opened_answers(row, live_server.keyring)  # words: with the narrative key only
    assert answers["age"] == "age_16_17" and answers["gender"] == "girl"
    assert answers["helped.school"] == "Mokytoja mane išklausė."


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_urdu_is_right_to_left_with_an_unobstructed_exit(page, live_server, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/s/adult?lang=ur")
    assert page.locator("html").get_attribute("dir") == "rtl"
    exit_box = page.locator(".site-header .quick-exit").bounding_box()
    name_box = page.locator(".site-header .site-name").bounding_box()
    # Mirrored: the exit sits at the left, the site name at the right, both fully on screen.
    assert exit_box["x"] >= 0 and exit_box["x"] + exit_box["width"] <= viewport["width"]
    assert exit_box["x"] < name_box["x"]
    covered = page.evaluate(
        """() => { const r = document.querySelector('.site-header .quick-exit').getBoundingClientRect();
            return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).closest('.quick-exit') === null; }""")
    assert not covered
    assert run_axe(page) == []


@pytest.mark.parametrize("locale", ["pl", "lt", "ur"])
def test_first_pages_are_accessible_in_every_language(page, live_server, locale):
    for path in ("/", "/staying-safe-online", "/s/seeking_support"):
        page.goto(f"{live_server.url}{path}?lang={locale}")
        assert page.locator("html").get_attribute("lang") == locale
        assert run_axe(page) == [], path
