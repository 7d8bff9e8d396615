"""Quick exit: one tap (or Shift three times) leaves for the neutral site, leaving no trace."""

import pytest

from tests.browser.conftest import NEUTRAL_TITLE, PHONE

SECRET = "the words I typed must vanish"


def reach_text_question(page, live_server):
    page.goto(f"{live_server.url}/s/adult")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:services']", state="attached")
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:looking_ahead']", state="attached")
    page.locator("textarea").first.fill(SECRET)


def assert_left_without_trace(page, live_server):
    page.wait_for_url(live_server.exit_url)
    assert page.title() == NEUTRAL_TITLE
    page.go_back()
    page.wait_for_timeout(500)
    # Back shows no survey page and no typed answer (bfcache included).
    if page.url.startswith(live_server.url):
        assert SECRET not in page.content()
        values = page.evaluate("Array.from(document.querySelectorAll('textarea,input')).map(e => e.value)")
        assert SECRET not in values
    assert SECRET not in page.content()


def test_exit_by_click(page, live_server):
    reach_text_question(page, live_server)
    page.locator(".site-header .quick-exit").click()
    assert_left_without_trace(page, live_server)


def test_exit_by_pressing_shift_three_times(page, live_server):
    reach_text_question(page, live_server)
    page.locator("textarea").first.focus()
    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_without_trace(page, live_server)


def test_other_keys_reset_the_shift_count(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    announced = page.locator("#exit-announcer").inner_text()
    assert "Shift once more" in announced
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url.startswith(live_server.url)


def point_exit(page, attribute: str, url: str) -> None:
    page.evaluate(f"document.querySelector('script[{attribute}]').setAttribute('{attribute}', '{url}')")


def test_exit_blanks_the_page_at_once_even_if_the_next_site_is_slow(page, live_server):
    reach_text_question(page, live_server)
    slow_site = live_server.exit_url.replace("/weather", "/slow-weather")
    point_exit(page, "data-exit-url", slow_site)
    # What the page shows straight after the tap, before any answer from the network.
    after_tap = page.evaluate(
        """() => { document.querySelector('.site-header .quick-exit').click();
                   return {title: document.title, text: document.body.textContent.trim(),
                           fields: document.querySelectorAll('textarea, input').length}; }"""
    )
    assert after_tap == {"title": "", "text": "", "fields": 0}
    page.wait_for_url(slow_site, timeout=20000)


def test_exit_does_not_wait_for_this_server(page, live_server):
    page.goto(live_server.url + "/")
    # Our server answering the exit beacon takes ten seconds; leaving must not wait for it.
    point_exit(page, "data-exit-beacon", live_server.exit_url.replace("/weather", "/slow-beacon"))
    page.evaluate("document.querySelector('.site-header .quick-exit').click()")
    page.wait_for_url(live_server.exit_url, timeout=3000)
    assert page.title() == NEUTRAL_TITLE


def test_exit_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.locator(".site-header .quick-exit").click()
        page.wait_for_url(live_server.exit_url)
        assert page.title() == NEUTRAL_TITLE
    finally:
        context.close()


@pytest.mark.parametrize("zoom_width", [320])
def test_exit_visible_and_uncovered_at_narrow_width(page, live_server, zoom_width):
    page.set_viewport_size({"width": zoom_width, "height": 256})
    page.goto(f"{live_server.url}/s/adult")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("input[name=_screen]", state="attached")
    for scroll in (0, 400, 2000):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        box = page.locator(".site-header .quick-exit").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= zoom_width and box["y"] >= 0
        top = page.evaluate(
            """() => { const r = document.querySelector('.site-header .quick-exit').getBoundingClientRect();
                return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).closest('.quick-exit') !== null; }"""
        )
        assert top, "something covers the quick exit"
