"""A support worker's tablet in real Chromium, over HTTPS through nginx: hand-over evaluations
one after another from the same address, each locked behind the worker's PIN, none refused by
the per-address limit that online surveys have (evaluations are limited per signed ticket)."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers.staff import PASSWORD, make_account
from tests.production.conftest import RATE_LIMIT

PIN = "2468"


def _responses(reader):
    from feedback_app.extensions import db
    from feedback_app.models import Response
    from feedback_app.services.responses import narrative_keys
    from feedback_app.services.responses.submissions import open_response
    from feedback_app.services.staff import narrative_access

    with reader.app_context():
        # Typed words are sealed to the narrative key: opened with the recovery key.
        recovery = reader.config["TEST_NARRATIVE_RECOVERY_KEY"]
        narrative_keys.use_openers(list(narrative_access.openers_from_recovery(recovery).values()))
        return [open_response(r) for r in db.session.scalars(select(Response).where(Response.organisation == "Refuge East"))]


def _hand_over_once(page, base: str, words: str) -> None:
    page.goto(base + "/worker/")
    page.get_by_label("Getting support").check()
    page.get_by_label("English").check()
    page.get_by_label("Handing the tablet over").check()
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Start", exact=True).click()  # the survivor starts
    for _ in range(10):
        page.wait_for_selector("input[name=_screen]", state="attached")
        state = page.locator("input[name=_screen]").get_attribute("value")
        if state == "review":
            break
        for area in page.locator("#survey-form textarea").all():
            area.fill(words)
        page.get_by_role("button", name="Continue", exact=True).click()
        page.wait_for_function("p => document.querySelector('input[name=_screen]').value !== p", arg=state)
    page.get_by_role("button", name="Send my answers", exact=True).click()
    page.wait_for_selector("input[name=_screen]", state="detached")
    assert words not in page.content()  # nothing of the answers is left on the tablet
    # While the tablet is handed over, the worker's pages need the PIN.
    page.goto(base + "/worker/")
    assert page.url.startswith(base + "/worker/unlock")
    page.get_by_label("Your PIN").fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_url(base + "/worker/")


def test_hand_over_evaluations_from_one_tablet_are_not_limited_per_address(page, stack, reader):
    with reader.app_context():
        worker, _ = make_account("worker", pin=PIN, organisation="Refuge East")
        email = worker.email
    page.goto(stack.url + "/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(stack.url + "/worker/")

    for n in range(RATE_LIMIT + 1):  # one more than an online survey may send an hour
        _hand_over_once(page, stack.url, f"A refuge tablet, survivor {n}")

    stored = _responses(reader)
    assert len(stored) == RATE_LIMIT + 1
    assert {(s.collection_mode, s.organisation) for s in stored} == {("handed_over", "Refuge East")}
    assert {s.answers.get("seek_support_other") for s in stored} == {f"A refuge tablet, survivor {n}" for n in range(RATE_LIMIT + 1)}
