"""The helplines and the "If you are not safe now" panel as a survivor sees them on a phone,
in English and Polish: readable, tappable, axe-clean, and calm (focus stays on the screen's
heading, nothing is announced as an alert)."""

from __future__ import annotations

import pytest
from babel.support import Translations

from feedback_app.config import PROJECT_ROOT
from tests.browser.conftest import PHONE, run_axe


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_safety_panel_after_not_feeling_safer(page, live_server, language):
    t = Translations.load(str(PROJECT_ROOT / "translations"), [language])
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/s/adult?lang={language}")
    page.get_by_role("button", name=t.gettext("Start"), exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    page.locator("button[name=_action][value=next]:not(.default-action)").click()
    page.wait_for_selector("input[name=_screen][value='step:services']", state="attached")
    page.locator("input[value=police]").check()
    page.locator("input[value=idva]").check()
    page.locator("button[name=_action][value=next]:not(.default-action)").click()
    page.wait_for_selector("input[name=_screen][value^='warning']", state="attached")
    page.locator("button[name=_action][value=continue]:not(.default-action)").click()
    page.wait_for_selector("input[name=_screen][value='step:service.police']", state="attached")
    page.locator("input[name='safer.police'][value=no]").check()
    page.locator("button[name=_action][value=next]:not(.default-action)").click()
    page.wait_for_selector("input[name=_screen][value='step:service.idva']", state="attached")

    panel = page.get_by_role("region", name=t.gettext("If you are not safe now"))
    assert panel.is_visible()
    page.wait_for_function("() => document.activeElement.id === 'screen-heading'")  # not pulled into the panel
    number = panel.get_by_role("link", name="0808 2000 247")
    box = number.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    page.evaluate("window.scrollTo(0, 0)")
    assert run_axe(page) == []
    page.screenshot(path=f"/tmp/safety-panel-{language}.png", full_page=True)
