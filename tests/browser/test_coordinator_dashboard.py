"""The dashboard in a real browser: accessible, filters swap the results in place and push a
bookmarkable URL, and nothing is kept in browser storage."""

from tests.browser.conftest import TABLET, run_axe, storage_entries
from tests.conftest import running_app
from tests.helpers.insight_data import store_fixed_dataset
from tests.helpers.staff import PASSWORD, code_now, make_account


def test_dashboard_filters_with_htmx(test_database, page, live_server, requests_seen):
    # Stored with the live server's keyring, so that the server can open the responses.
    with running_app(test_database, KEYRING=live_server.keyring):
        store_fixed_dataset()
        coordinator, secret = make_account("coordinator")
        page.set_viewport_size(TABLET)

        page.goto(live_server.url + "/staff/sign-in")
        page.get_by_label("Email address").fill(coordinator.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Code").fill(code_now(secret))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/coordinator/")
        assert page.locator(".headline").inner_text() == "12"
        assert run_axe(page) == []

        page.get_by_label("Survey", exact=True).select_option("adult")
        page.wait_for_url("**/coordinator/?*survey=adult*")
        page.wait_for_function("() => document.querySelector('.headline').textContent.trim() === '6'")
        assert page.get_by_label("Survey", exact=True).input_value() == "adult"  # the form was not replaced
        assert run_axe(page) == []

        page.go_back()  # no snapshot is kept, so the page is fetched afresh
        page.wait_for_function("() => document.querySelector('.headline').textContent.trim() === '12'")
        assert storage_entries(page)["local"] == 0
        assert requests_seen.foreign() == []
