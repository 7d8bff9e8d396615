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
