"""GOV.UK-style details a survivor on a phone notices: every target is at least 44 by 44 CSS
pixels, focus is never hidden under the sticky header at 400% zoom (WCAG 2.2, 2.4.11), and
check-your-answers has one Change per question that lands on that question."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE

# What a 1280 x 1024 screen shows at 400% zoom.
ZOOMED = {"width": 320, "height": 256}
TARGETS = "a[href], button:not([tabindex='-1']), input[type=radio], input[type=checkbox], summary"


def _small_targets(page) -> list[str]:
    """Visible targets smaller than 44 x 44 (a radio or checkbox counts by its whole label)."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).filter(el => {
            const box = (el.closest('label') || el).getBoundingClientRect();
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0) return false;
            if (el.closest('.skip-link') || el.classList.contains('visually-hidden')) return false;
            return box.width < 44 || box.height < 44;
        }).map(el => el.outerHTML.slice(0, 120))""",
        TARGETS,
    )


def _walk_to_review(page, live_server, language: str = "en") -> None:
    page.goto(f"{live_server.url}/s/adult?lang={language}")
    page.locator("button[value=start], button:has-text('Start')").first.click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    page.locator("input[value=age_25_34]").check()
    for _ in range(10):
        state = page.locator("input[name=_screen]").get_attribute("value")
        if state == "review":
            return
        action = "skip" if state.startswith("warning") else "next"
        page.locator(f"button[name=_action][value={action}]:not(.default-action)").first.click()
        page.wait_for_function("p => document.querySelector('input[name=_screen]').value !== p", arg=state)
    raise AssertionError("did not reach check your answers")


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_target_on_survivor_pages_is_at_least_44_px(page, live_server, language):
    page.set_viewport_size(PHONE)
    for path in ("/", "/staying-safe-online", "/s/adult"):
        page.goto(f"{live_server.url}{path}?lang={language}")
        assert _small_targets(page) == [], path
    _walk_to_review(page, live_server, language)
    assert _small_targets(page) == [], "check your answers"


def test_focus_is_never_hidden_under_the_sticky_header_at_400_percent_zoom(page, live_server):
    page.set_viewport_size(ZOOMED)
    page.goto(f"{live_server.url}/s/adult")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    hidden = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen = page.evaluate(
            """() => {
                const el = document.activeElement;
                const target = (el.closest('label') || el).getBoundingClientRect();
                const header = document.querySelector('.site-header').getBoundingClientRect();
                return {what: el.outerHTML.slice(0, 80), top: target.top, bottom: target.bottom,
                        header: header.bottom, height: window.innerHeight, inHeader: !!el.closest('.site-header')};
            }"""
        )
        # The header itself, and skip links (shown over the header while focused), are in view.
        if seen["inHeader"] or seen["what"].startswith(("<body", '<a class="skip-link')):
            continue
        if seen["top"] < seen["header"] - 1 or seen["top"] >= seen["height"]:
            hidden.append(seen)
    assert hidden == []


def test_change_on_check_answers_lands_on_that_question(page, live_server):
    page.set_viewport_size(PHONE)
    _walk_to_review(page, live_server)
    page.get_by_role("button", name="Change How would you describe your gender?").click()
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'gender'")
    top = page.evaluate("document.activeElement.closest('label').getBoundingClientRect().top")
    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().bottom")
    assert top >= header - 1
