"""The "still there?" warning before a worker's tablet locks, in real Chromium on a tablet,
with the browser's clock driven by the test (Playwright's clock): the warning comes a minute
before the lock as a modal dialog that takes focus and is announced; "I'm still here" keeps
every answer; only when nobody answers does the page blank and go to the PIN screen."""

from __future__ import annotations

import pytest
from babel.support import Translations
from playwright.sync_api import Error as PlaywrightError

from feedback_app.config import PROJECT_ROOT
from feedback_app.extensions import db
from tests.browser.conftest import TABLET, run_axe
from tests.helpers.staff import PASSWORD, make_account

TYPED = "The officer listened to me."


def _start_evaluation(page, live_server, language_label: str) -> None:
    worker, _ = make_account("worker", pin="2468", organisation="Refuge North")
    db.session.commit()
    page.goto(live_server.url + "/staff/sign-in")
    page.get_by_label("Email address").fill(worker.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/worker/")
    page.get_by_label("Your experience of services").check()
    page.get_by_label(language_label).check()
    page.get_by_label("Handing the tablet over").check()
    page.get_by_label("2 minutes").check()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("#survey-screen[data-idle-seconds='120']")


@pytest.mark.parametrize("language, label", [("en", "English"), ("pl", "polski")])
def test_the_tablet_asks_before_it_locks_and_keeps_the_answers(app, page, live_server, language, label):
    t = Translations.load(str(PROJECT_ROOT / "translations"), [language])
    page.set_viewport_size(TABLET)
    page.clock.install()
    _start_evaluation(page, live_server, label)
    page.get_by_role("button", name=t.gettext("Start"), exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    page.locator("input[value=age_25_34]").check()

    # A minute of nothing: no warning yet. At the second minute's start, the question.
    page.clock.run_for("00:59")
    dialog = page.get_by_role("dialog", name=t.gettext("Are you still there?"))
    assert not dialog.is_visible()
    page.clock.run_for("00:02")
    assert dialog.is_visible()
    still_here = page.get_by_role("button", name=t.gettext("I'm still here"))
    assert page.evaluate("document.activeElement.textContent.trim()") == t.gettext("I'm still here")
    assert page.evaluate("document.getElementById('still-there').getAttribute('aria-describedby')") == "still-there-text"
    assert page.locator("[data-countdown]").inner_text() in ("0:59", "0:58")
    # The page behind is inert while the dialog is open, so the dialog has its own quick exit.
    assert dialog.get_by_role("link", name=t.gettext("Leave this site")).is_visible()
    assert run_axe(page) == []

    still_here.click()
    assert not dialog.is_visible()
    assert page.locator("input[value=age_25_34]").is_checked()  # nothing lost
    assert "/worker/unlock" not in page.url

    # Escape answers the question too.
    page.clock.run_for("01:01")
    assert dialog.is_visible()
    page.keyboard.press("Escape")
    assert not dialog.is_visible() and page.locator("input[value=age_25_34]").is_checked()

    # Nobody answers: the page is blanked and the tablet asks for the worker's PIN.
    page.clock.run_for("01:01")
    assert dialog.is_visible()
    page.clock.run_for("01:00")
    page.wait_for_url(live_server.url + "/worker/unlock")
    assert "age_25_34" not in page.content()
    try:
        page.go_back()
    except PlaywrightError:
        return  # the browser will not show the survey page again (no-store): nothing to see
    assert page.locator("input[value=age_25_34]").count() == 0 or not page.locator("input[value=age_25_34]").is_checked()


def test_the_quick_exit_works_while_the_question_is_on_screen(app, page, live_server):
    page.set_viewport_size(TABLET)
    page.clock.install()
    _start_evaluation(page, live_server, "English")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    page.clock.run_for("01:01")
    dialog = page.get_by_role("dialog", name="Are you still there?")
    assert dialog.is_visible()
    dialog.get_by_role("link", name="Leave this site").click()
    page.wait_for_url(live_server.exit_url)


def test_the_question_fits_a_phone(app, page, live_server):
    page.set_viewport_size({"width": 320, "height": 568})
    page.clock.install()
    _start_evaluation(page, live_server, "English")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:about_you']", state="attached")
    page.clock.run_for("01:01")
    box = page.locator("#still-there").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["height"] < 568
    for target in (page.get_by_role("button", name="I'm still here"), page.locator("#still-there .quick-exit")):
        size = target.bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44
    page.screenshot(path="/tmp/still-there-phone.png")
