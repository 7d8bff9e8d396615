"""A whole hand-over evaluation on a tablet, in Polish, with the PIN hand-back."""

import pytest
from babel.support import Translations
from sqlalchemy import select

from feedback_app.config import PROJECT_ROOT
from feedback_app.extensions import db
from feedback_app.models import Response
from tests.browser.conftest import TABLET, run_axe
from tests.helpers.staff import PASSWORD, make_account

PIN = "2468"


def test_handover_evaluation_in_polish(app, page, live_server, requests_seen):
    worker, _ = make_account("worker", pin=PIN, organisation="Refuge North")
    db.session.commit()
    pl = Translations.load(str(PROJECT_ROOT / "translations"), ["pl"])
    page.set_viewport_size(TABLET)

    page.goto(live_server.url + "/staff/sign-in")
    assert run_axe(page) == []
    page.get_by_label("Email address").fill(worker.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/worker/")
    assert run_axe(page) == []

    page.get_by_label("Tell us what helped").check()
    page.get_by_label("polski").check()
    page.get_by_label("Handing the tablet over").check()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'pl'")
    assert page.locator(".site-header .quick-exit").is_visible()

    # The survivor answers, in Polish.
    page.get_by_role("button", name=pl.gettext("Start"), exact=True).click()
    page.wait_for_selector("input[name=_screen][value='step:age']", state="attached")
    page.locator("input[value=age_18_19]").check()
    for _ in range(12):
        state = page.locator("input[name=_screen]").get_attribute("value")
        if state == "review":
            break
        if state.startswith("warning"):
            page.get_by_role("button", name=pl.gettext("Skip these questions"), exact=True).click()
        else:
            if state == "step:supporters":
                page.locator("input[value=family]").check()
            page.get_by_role("button", name=pl.gettext("Continue"), exact=True).click()
        page.wait_for_function("p => document.querySelector('input[name=_screen]').value !== p", arg=state)
    assert run_axe(page) == []
    page.get_by_role("button", name=pl.gettext("Send my answers"), exact=True).click()
    page.wait_for_selector("input[name=_screen]", state="detached")

    # Nothing of the answers is left in the page.
    assert page.locator("input[value=age_18_19]").count() == 0
    assert "age_18_19" not in page.content()
    page.get_by_role("link", name=pl.gettext("Give the tablet back")).click()
    page.wait_for_url(live_server.url + "/worker/unlock")
    assert run_axe(page) == []
    page.get_by_label("Your PIN").fill("0000")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("That PIN is not right").wait_for()
    page.get_by_label("Your PIN").fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_url(live_server.url + "/worker/")
    # A clean start screen: only the usual choices made in advance (English, lock after 5 minutes).
    checked = page.locator("input[type=radio]:checked")
    assert sorted(checked.evaluate_all("els => els.map(e => e.name + '=' + e.value)")) == ["language=en", "lock_after=300"]

    [row] = db.session.scalars(select(Response)).all()
    assert (row.collection_mode, row.organisation, row.language) == ("handed_over", "Refuge North", "pl")
    assert requests_seen.foreign() == []


@pytest.mark.parametrize("language, label, viewport", [("en", "English", TABLET), ("pl", "polski", {"width": 360, "height": 740})])
def test_while_handed_over_the_workers_own_pages_show_the_pin_screen(app, page, live_server, language, label, viewport):
    worker, _ = make_account("worker", pin=PIN, organisation="Refuge North")
    db.session.commit()
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/staff/sign-in")
    page.get_by_label("Email address").fill(worker.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/worker/")
    page.get_by_label("Tell us what helped").check()
    page.get_by_label(label).check()
    page.get_by_label("Handing the tablet over").check()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("l => document.documentElement.lang === l", arg=language)
    # Whoever holds the tablet types the worker's own pages into the address bar.
    for path in ("/staff/account", "/staff/two-factor/setup", "/staff/password", "/worker/"):
        page.goto(live_server.url + path)
        page.wait_for_url(live_server.url + "/worker/unlock")
        assert worker.email not in page.content() and "Refuge North" not in page.content()
    assert page.get_by_label("Your PIN").is_visible()
    assert run_axe(page) == []
