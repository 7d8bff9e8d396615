"""GOV.UK-style details a survivor on a phone notices: every target is at least 44 by 44 CSS
pixels, focus is never hidden under the sticky header at 400% zoom (WCAG 2.2, 2.4.11), and
check-your-answers has one Change per question that lands on that question."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, run_axe

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
    for path in ("/", "/staying-safe-online", "/s/adult", "/you-said-we-did"):
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


@pytest.mark.parametrize("language", ["en", "pl"])
def test_change_on_check_answers_lands_on_that_question(page, live_server, language):
    from babel.support import Translations

    from feedback_app.config import PROJECT_ROOT

    t = Translations.load(str(PROJECT_ROOT / "translations"), [language])
    page.set_viewport_size(PHONE)
    _walk_to_review(page, live_server, language)
    name = t.gettext("Change") + " " + t.gettext("How would you describe your gender?")
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'gender'")
    top = page.evaluate("document.activeElement.closest('label').getBoundingClientRect().top")
    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().bottom")
    assert top >= header - 1


@pytest.mark.parametrize(
    "language, viewport", [("en", {"width": 320, "height": 568}), ("lt", PHONE), ("pl", {"width": 768, "height": 1024})]
)
def test_progress_never_shows_a_total_that_changes_and_back_is_at_the_top(page, live_server, language, viewport):
    from babel.support import Translations

    from feedback_app.config import PROJECT_ROOT

    t = Translations.load(str(PROJECT_ROOT / "translations"), [language])
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/s/adult?lang={language}")
    length = page.evaluate("history.length")
    page.get_by_role("button", name=t.gettext("Start"), exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    progress = page.locator(".progress")
    assert progress.inner_text() == t.gettext("Step %(number)s") % {"number": 1}
    assert page.locator(".back-control").count() == 0  # nothing before the first step
    page.locator("input[value=age_25_34]").check()
    page.locator("button[name=_action][value=next]:not(.default-action)").click()
    page.wait_for_selector("input[name=_screen][value='step:services']", state="attached")
    assert progress.inner_text() == t.gettext("Step %(number)s") % {"number": 2}
    page.locator("input[value=police]").check()
    page.locator("input[value=housing]").check()
    page.locator("button[name=_action][value=next]:not(.default-action)").click()
    page.wait_for_selector("input[name=_screen][value^='warning']", state="attached")
    assert progress.inner_text() == t.gettext("Step %(number)s of %(count)s") % {"number": 3, "count": 6}

    # Back at the top: above the heading, a real button, and it keeps every answer.
    back = page.locator(".step-top .back-control")
    assert back.bounding_box()["y"] < page.locator("#screen-heading").bounding_box()["y"]
    assert back.inner_text().strip() == t.gettext("Back")
    back.click()
    page.wait_for_selector("input[name=_screen][value='step:services']", state="attached")
    assert page.locator("input[value=police]").is_checked() and page.locator("input[value=housing]").is_checked()
    back = page.locator(".step-top .back-control")
    back.click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    assert page.locator("input[value=age_25_34]").is_checked()
    assert page.evaluate("history.length") == length  # steps are not history entries
    page.evaluate("window.scrollTo(0, 0)")
    assert run_axe(page) == []
