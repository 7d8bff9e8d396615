"""Completing a survey in the browser, the way a person would: tap, type, continue."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import run_axe


def complete_survey(page: Page, base_url: str, slug: str, *, choose: dict[str, list[str]] | None = None,
                    text: str = "Helpful and kind", check_axe: bool = False, labels: dict | None = None) -> list[str]:
    """Answer every screen: the first radio option, given checkboxes, a sentence in every text box.

    Returns the headings seen. Buttons are found by their visible text (``labels`` maps
    English button names to the page's language)."""
    labels = {"Start": "Start", "Continue": "Continue", "Continue to these questions": "Continue to these questions",
              "Send my answers": "Send my answers", **(labels or {})}
    choose = choose or {}
    page.goto(f"{base_url}/s/{slug}")
    if check_axe:
        assert run_axe(page) == []
    page.get_by_role("button", name=labels["Start"], exact=True).click()
    page.wait_for_selector("input[name=_screen]", state="attached")
    headings = []
    for _ in range(60):
        page.wait_for_selector("#survey-screen h1")
        screen = page.locator("input[name=_screen]")
        if screen.count() == 0:
            break
        state = screen.get_attribute("value")
        if check_axe:
            assert run_axe(page) == [], state
        headings.append(page.locator("#survey-screen h1").inner_text())
        if state == "review":
            page.get_by_role("button", name=labels["Send my answers"], exact=True).click()
        elif state.startswith("warning:"):
            page.get_by_role("button", name=labels["Continue to these questions"], exact=True).click()
        else:
            for fieldset in page.locator("#survey-form fieldset").all():
                boxes = fieldset.locator("input[type=checkbox]")
                if boxes.count():
                    name = boxes.first.get_attribute("name")
                    for value in choose.get(name, []):
                        fieldset.locator(f"input[value={value}]").check()
                else:
                    fieldset.locator("input[type=radio]").first.check()
            for area in page.locator("#survey-form textarea").all():
                area.fill(text)
            page.get_by_role("button", name=labels["Continue"], exact=True).click()
        page.wait_for_function(
            "prev => { const s = document.querySelector('input[name=_screen]'); return !s || s.value !== prev; }",
            arg=state,
        )
    headings.append(page.locator("#survey-screen h1").inner_text())
    return headings
