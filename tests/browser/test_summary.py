"""The themed summary in a real browser: changing the period swaps the report in place and
pushes a bookmarkable URL, the spreadsheet and the CSV download and land in the export log,
and both pages are accessible."""

from datetime import date, timedelta

from openpyxl import load_workbook

from feedback_app.services.figures import periods
from feedback_app.staff_forms.summary import last_complete_quarter
from tests.browser.conftest import TABLET, run_axe
from tests.conftest import running_app
from tests.helpers.staff import PASSWORD, code_now, make_account
from tests.helpers.summary_data import store_adults


def test_summary_period_download_and_export_log(test_database, page, live_server, requests_seen):
    latest = last_complete_quarter(date.today())
    before = periods.quarter_of(latest.start - timedelta(days=1))
    # A week after the quarter starts: a response is dated by the Monday of its week.
    # Stored with the live server's keyring, so that the server can open the responses.
    with running_app(test_database, KEYRING=live_server.keyring):
        store_adults(6, {"gender": "woman", "services": ["police"], "listened.police": "yes"}, day=latest.start + timedelta(days=7))
        store_adults(7, {"gender": "woman", "services": ["police"], "listened.police": "no"}, day=before.start + timedelta(days=7))
        coordinator, secret = make_account("coordinator")
        page.set_viewport_size(TABLET)

        page.goto(live_server.url + "/staff/sign-in")
        page.get_by_label("Email address").fill(coordinator.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Code").fill(code_now(secret))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/coordinator/")

        page.get_by_role("link", name="Themed summary").click()
        page.wait_for_url(live_server.url + "/coordinator/summary")
        adults = page.locator("#audience-adult-heading + .summary-count")
        assert adults.inner_text() == "Responses: 6"
        assert page.locator("#summary-heading").inner_text() == f"Survivor feedback: {latest.label}"
        assert run_axe(page) == []

        page.get_by_label("Period", exact=True).select_option(before.token)
        page.wait_for_url(f"**/coordinator/summary?*period={before.token}*")
        page.wait_for_function(
            "() => document.querySelector('#audience-adult-heading + .summary-count').textContent.trim() === 'Responses: 7'"
        )
        assert page.get_by_label("Period", exact=True).input_value() == before.token  # the form was not replaced
        assert run_axe(page) == []

        with page.expect_download() as download:
            page.get_by_role("button", name="Download spreadsheet (XLSX)").click()
        assert download.value.suggested_filename == f"themed-summary-{before.token}.xlsx"
        with open(download.value.path(), "rb") as file:
            workbook = load_workbook(file)
        assert workbook.sheetnames == ["Summary", "Adult survivors", "Young people", "People seeking support", "Quotes", "Commentary"]
        assert [c.value for c in workbook["Summary"]["A2":"B2"][0]] == ["Adult survivors", 7]
        assert all(sheet.freeze_panes == "A2" for sheet in workbook)

        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").click()
        assert download.value.suggested_filename == f"themed-summary-{before.token}.csv"

        page.get_by_role("link", name="Export log").click()
        page.wait_for_url(live_server.url + "/coordinator/exports")
        first = page.locator("table.export-log tbody tr").first
        assert "Themed summary (CSV)" in first.inner_text()
        assert before.label in first.inner_text()
        assert run_axe(page) == []
        assert requests_seen.foreign() == []
