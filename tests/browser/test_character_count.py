"""The character count on text boxes (GOV.UK pattern): it says how much is left as the
person types, announces it once they pause, turns to "too many" instead of cutting pasted
text, and the server then asks for a shorter answer with the whole text kept."""

from __future__ import annotations

import pytest
from babel.support import Translations

from feedback_app.config import PROJECT_ROOT

from tests.browser.conftest import PHONE, run_axe


def _reach_a_text_box(page, live_server, language: str) -> str:
    start = Translations.load(str(PROJECT_ROOT / "translations"), [language]).gettext("Start")
    page.goto(f"{live_server.url}/s/adult?lang={language}")
    page.get_by_role("button", name=start, exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    for state in ("step:about_you", "step:services"):
        page.locator("button[name=_action][value=next]:not(.default-action)").click()
        page.wait_for_function("p => document.querySelector('input[name=_screen]').value !== p", arg=state)
    box = page.locator("textarea").first
    return box.get_attribute("id")


@pytest.mark.parametrize(
    "language, left_after_five, over_by_ten",
    [
        ("en", "You have 4,995 characters remaining.", "You have 10 characters too many."),
        ("pl", "Zostało Ci 4995 znaków.", "Masz 10 znaków za dużo."),
    ],
)
def test_the_count_follows_typing_and_never_cuts_text(page, live_server, language, left_after_five, over_by_ten):
    page.set_viewport_size(PHONE)
    box_id = _reach_a_text_box(page, live_server, language)
    box = page.locator(f"#{box_id}")
    hint = page.locator(f"#{box_id}-limit")
    assert box.get_attribute("maxlength") is None
    assert box_id + "-limit" in box.get_attribute("aria-describedby")
    box.fill("Hello")
    assert hint.inner_text().replace("\u00a0", "").replace(" 995", "995") == left_after_five.replace(" 995", "995")
    page.wait_for_function(f"() => document.getElementById('{box_id}-announce').textContent.length > 0")
    assert page.locator(f"#{box_id}-announce").get_attribute("aria-live") == "polite"

    pasted = "x" * 5010
    box.fill(pasted)
    assert box.input_value() == pasted  # nothing cut
    assert hint.inner_text() == over_by_ten
    assert "character-count--over" in hint.get_attribute("class")
    # (At the top: scrolled, axe counts a choice passing under the sticky header as too small.)
    page.evaluate("window.scrollTo(0, 0)")
    assert run_axe(page) == []

    page.locator("button[name=_action][value=next]:not(.default-action)").click()
    page.wait_for_selector(".field-error")
    assert page.locator(f"#{box_id}").input_value() == pasted  # refused, and kept

