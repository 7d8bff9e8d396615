"""One history entry for the whole visit (DESIGN §5). A survivor arrives from another site,
goes from the landing page into a survey (and to the staying-safe page and back), reaches a
free-text question and leaves, by Shift three times or by the button. Back never shows this
site, and the visit added at most one entry to the history."""

from __future__ import annotations

import pytest

from tests.browser.conftest import NEUTRAL_TITLE, PHONE, TABLET

SECRET = "words that must not come back"


def _arrive_from_another_site(page, live_server) -> int:
    page.goto(live_server.exit_url)  # the page before this site (another origin)
    before = page.evaluate("history.length")
    page.goto(live_server.url + "/")  # as a link from that site would
    return before


def _walk_to_a_free_text_question(page, live_server) -> None:
    page.get_by_role("link", name="Staying safe online").click()
    page.wait_for_url(live_server.url + "/staying-safe-online")
    page.get_by_role("link", name="polski").first.click()  # a language link is a navigation too
    page.wait_for_function("() => document.documentElement.lang === 'pl'")
    page.get_by_role("link", name="English").first.click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.locator(".site-header .site-name").click()  # back to the landing page
    page.wait_for_url(live_server.url + "/")
    page.locator("a.survey-card").first.click()
    page.wait_for_url(live_server.url + "/s/adult")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:services']", state="attached")
    page.get_by_role("button", name="Continue", exact=True).click()
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


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
@pytest.mark.parametrize("how", ["shift", "button"])
def test_back_after_leaving_goes_to_the_page_before_this_site(page, live_server, how, viewport):
    page.set_viewport_size(viewport)
    before = _arrive_from_another_site(page, live_server)
    _walk_to_a_free_text_question(page, live_server)
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
