"""The privacy notice and accessibility statement in a real browser: accessible (axe, WCAG 2.2
A/AA) on a phone and a tablet in every language, the quick exit in sight, nothing asked of
another host, and reached from the footer."""

import pytest

from tests.browser.conftest import PHONE, TABLET, run_axe, storage_entries

LOCALES = ["en", "pl", "lt", "ur"]
PAGES = ["/privacy", "/accessibility"]


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible_in_every_language(page, live_server, requests_seen, viewport, locale, path):
    page.set_viewport_size(viewport)
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}{path}?lang={locale}")
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ur" else "ltr")
    assert page.locator(".site-header .quick-exit").is_visible()
    # Nothing is wider than the screen (no sideways scrolling on a phone), long addresses included.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert run_axe(page) == []
    assert storage_entries(page) == {"local": 0, "session": 0, "indexeddb": 0}
    assert requests_seen.foreign() == []
    assert csp_errors == []


def test_both_pages_are_reached_from_the_footer(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name="Privacy notice").click()
    page.wait_for_url("**/privacy")
    assert page.get_by_role("heading", level=1).text_content() == "Privacy notice"
    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    page.wait_for_url("**/accessibility")
    assert page.get_by_role("heading", level=1).text_content() == "Accessibility statement for Service feedback"
