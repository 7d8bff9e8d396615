"""The survivor's first pages in a real browser, on a phone and a tablet."""

import pytest

from tests.browser.conftest import PHONE, TABLET, run_axe, storage_entries

PAGES = ["/", "/staying-safe-online", "/no-such-page"]


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible_and_private(page, live_server, requests_seen, viewport, path):
    page.set_viewport_size(viewport)
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live_server.url + path)
    assert page.title() == "Service feedback"
    assert page.locator("html").get_attribute("lang") == "en"
    exit_link = page.locator(".site-header .quick-exit")
    assert exit_link.is_visible()
    assert run_axe(page) == []
    assert storage_entries(page) == {"local": 0, "session": 0, "indexeddb": 0}
    assert requests_seen.foreign() == []
    assert csp_errors == []


def test_first_tab_reaches_the_exit_link(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Leave this site quickly"
    assert page.locator(".skip-link--exit").is_visible()


def test_server_log_has_no_client_details(page, live_server):
    page.goto(live_server.url + "/?lang=en&private=query-value")
    agent = page.evaluate("navigator.userAgent")
    log = live_server.log_text()
    assert "GET / 200" in log
    assert "127.0.0.1 -" not in log
    assert agent not in log and "HeadlessChrome" not in log
    assert "query-value" not in log
