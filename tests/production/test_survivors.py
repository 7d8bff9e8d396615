"""Survivors and a coordinator in real Chromium, over HTTPS through nginx."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.browser.survey_driver import complete_survey
from tests.helpers.staff import make_account, sign_in_page

ADULT_CHOICES = {"services": ["police", "idva"], "seek_support": ["anonymity"], "preferred_support": ["phone"]}


def _submit_in_browser(page, stack, store) -> None:
    before = store.count()
    headings = complete_survey(page, stack.url, "adult", choose=ADULT_CHOICES, text="Kind and patient")
    assert page.locator("input[name=_screen]").count() == 0, headings
    assert page.url.startswith("https://")
    assert store.count() == before + 1


def test_adult_survey_with_javascript(page, stack, store):
    _submit_in_browser(page, stack, store)


def test_adult_survey_without_javascript(browser, stack, store, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    try:
        page = context.new_page()
        _submit_in_browser(page, stack, store)
    finally:
        context.close()


def test_coordinator_signs_in_with_two_factor_and_downloads_the_summary_csv(page, stack, reader):
    with reader.app_context():
        account, secret = make_account("coordinator")
        email = account.email
    sign_in_page(page, stack.url, email, secret)
    # The session cookie is Secure: it came back over HTTPS, so the coordinator is signed in.
    page.goto(stack.url + "/coordinator/summary")
    assert page.url == stack.url + "/coordinator/summary"
    with page.expect_download() as download_info:
        page.locator("button[name=format][value=csv]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) >= 2, rows


def test_a_coordinator_with_access_reads_comments_on_every_worker(page, stack, reader):
    """The unlocked key is in Redis, encrypted under a key in the Secure session cookie: every
    gunicorn worker finds it, page after page; after sign-out none does."""
    from datetime import date

    from feedback_app.services.figures import periods
    from feedback_app.services.staff import narrative_access
    from tests.helpers.staff import PASSWORD
    from tests.production.survivor_client import ADULT_ANSWERS, PlainSurvivor

    words = ADULT_ANSWERS["helpful.police"]  # every survivor of this layer writes it: on any page
    survivor = PlainSurvivor(stack.https_port, source="127.0.0.41")
    try:
        assert survivor.complete().acknowledged
    finally:
        survivor.close()
    with reader.app_context():
        account, secret = make_account("coordinator")
        openers = narrative_access.openers_from_recovery(reader.config["TEST_NARRATIVE_RECOVERY_KEY"])
        narrative_access.give_with_password(account, PASSWORD, openers.values(), "test")
        email = account.email
    sign_in_page(page, stack.url, email, secret)
    queue = (
        f"{stack.url}/coordinator/coding?service=services.police&question=helpful"
        f"&period={periods.quarter_of(date.today()).token}"
    )
    for _ in range(3 * stack.expected_workers()):
        page.goto(queue)
        assert words in page.content()
    page.get_by_role("button", name="Sign out").click()
    page.goto(queue)
    assert words not in page.content()


def test_a_coordinator_reads_the_board_summary_of_this_quarter(page, stack, reader, store):
    """Through nginx, on PostgreSQL, with the figures' cache in each worker: the board shows
    this quarter's responses as the dashboard counts them, protected, and both two-way tables."""
    from datetime import date

    from feedback_app.services.figures import periods

    _submit_in_browser(page, stack, store)  # at least one response this quarter
    with reader.app_context():
        account, secret = make_account("coordinator")
        email = account.email
    sign_in_page(page, stack.url, email, secret)
    quarter = periods.quarter_of(date.today())
    page.goto(f"{stack.url}/coordinator/board?period={quarter.token}")
    assert page.url.startswith(stack.url + "/coordinator/board")
    assert page.locator("h1").inner_text() == f"Board summary: {quarter.label}"
    responses = page.locator("#board-responses-heading").locator("xpath=..").inner_text()
    # Fewer than 5 responses read "fewer than 5"; from 5 the number itself. Never a raw 1-4.
    with reader.app_context():
        from feedback_app.services.figures.counting import compute_uncached
        from feedback_app.services.figures.filters import Filters

        counted = compute_uncached(Filters(period=quarter)).total
    assert ("fewer than 5" in responses) if counted < 5 else (f"{counted:,}" in responses), (counted, responses)
    for heading in ("#modes-table-heading", "#areas-table-heading"):
        assert page.locator(heading).is_visible()
