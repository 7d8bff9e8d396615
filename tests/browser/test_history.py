"""One history entry for the whole visit (DESIGN §5). A survivor arrives from another site,
goes from the landing page into a survey (and to the staying-safe page and back), reaches a
free-text question and leaves, by Shift three times or by the button. Back never shows this
site, and the visit added at most one entry to the history."""

from __future__ import annotations

import pytest
from babel.support import Translations

from feedback_app.config import PROJECT_ROOT
from tests.browser.conftest import NEUTRAL_TITLE, PHONE, TABLET

SMALL_PHONE = {"width": 320, "height": 568}

SECRET = "words that must not come back"


def _arrive_from_another_site(page, live_server, language: str) -> int:
    page.goto(live_server.exit_url)  # the page before this site (another origin)
    before = page.evaluate("history.length")
    page.goto(f"{live_server.url}/?lang={language}")  # as a link from that site would
    return before


def _walk_to_a_free_text_question(page, live_server, language: str) -> None:
    t = Translations.load(str(PROJECT_ROOT / "translations"), [language])
    other, back = ("polski", language) if language != "pl" else ("English", "pl")
    page.get_by_role("link", name=t.gettext("Staying safe online")).first.click()
    page.wait_for_url(f"{live_server.url}/staying-safe-online*")
    page.get_by_role("link", name=other).first.click()  # a language link is a navigation too
    page.wait_for_function("l => document.documentElement.lang !== l", arg=language)
    page.locator(f".languages a[hreflang={back}]").first.click()
    page.wait_for_function("l => document.documentElement.lang === l", arg=language)
    page.locator(".site-header .site-name").click()  # back to the landing page
    page.wait_for_url(live_server.url + "/")
    page.locator("a.survey-card").first.click()
    page.wait_for_url(live_server.url + "/s/adult")
    page.get_by_role("button", name=t.gettext("Start"), exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    page.locator("button[name=_action][value=next]:not(.default-action)").click()
    page.wait_for_selector("input[name=_screen][value='step:services']", state="attached")
    page.locator("button[name=_action][value=next]:not(.default-action)").click()
    page.wait_for_selector("input[name=_screen][value='step:looking_ahead']", state="attached")
    page.locator("textarea").first.fill(SECRET)


def _back_never_shows_this_site(page, live_server, before: int) -> None:
    page.wait_for_url(live_server.exit_url)
    assert page.title() == NEUTRAL_TITLE
    assert page.evaluate("history.length") <= before + 1
    for _ in range(3):
        page.go_back()
        page.wait_for_timeout(300)
        assert not page.url.startswith(live_server.url), page.url
        assert SECRET not in page.content()


@pytest.mark.parametrize(
    "viewport, language",
    [(SMALL_PHONE, "en"), (PHONE, "pl"), (TABLET, "en"), (TABLET, "lt")],
    ids=["320-en", "360-pl", "768-en", "768-lt"],
)
@pytest.mark.parametrize("how", ["shift", "button"])
def test_back_after_leaving_goes_to_the_page_before_this_site(page, live_server, how, viewport, language):
    page.set_viewport_size(viewport)
    before = _arrive_from_another_site(page, live_server, language)
    _walk_to_a_free_text_question(page, live_server, language)
    assert page.evaluate("history.length") == before + 1  # the whole visit so far: one entry
    if how == "shift":
        page.locator("textarea").first.focus()
        for _ in range(3):
            page.keyboard.press("Shift")
    else:
        page.locator(".site-header .quick-exit").click()
    _back_never_shows_this_site(page, live_server, before)


def test_telephone_links_are_left_to_the_phone(page, live_server):
    page.goto(live_server.url + "/")
    href = page.locator("a[href^='tel:']").first.get_attribute("href")
    assert href.startswith("tel:")  # not turned into a page load (the click handler skips them)
