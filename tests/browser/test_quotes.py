"""Quotes in a real browser: a coordinator reviews a proposed quote, edits the redacted
wording, is warned about what still identifies someone, approves it, and finds it listed.
Accessible throughout, and nothing is kept in browser storage."""

from tests.browser.conftest import TABLET, run_axe, storage_entries
from tests.conftest import running_app
from tests.helpers.responses import store
from tests.helpers.staff import make_account, sign_in_page

COMMENT = "My worker Sarah rang me on 07700 900123 every week <b>and</b> listened."


def test_review_edit_and_approve_a_quote(test_database, page, live_server, requests_seen):
    # Stored with the live server's keyring, so that the server can open what it needs.
    with running_app(test_database, KEYRING=live_server.keyring):
        from feedback_app.services.insight import quotes as quote_service

        response_id = store({"services": ["police"], "listened.police": "yes", "better.police": COMMENT})
        coordinator, secret = make_account("coordinator")
        quote_service.propose(response_id, "better.police", coordinator)
        page.set_viewport_size(TABLET)
        sign_in_page(page, live_server.url, coordinator.email, secret)

        page.get_by_role("navigation", name="Coordinator").get_by_role("link", name="Quotes").click()
        page.wait_for_url(live_server.url + "/coordinator/quotes")
        assert page.locator(".quote-text").inner_text() == "My worker [name] rang me on [phone number] every week <b>and</b> listened."
        assert run_axe(page) == []

        page.get_by_role("link", name="Review quote 1").click()
        page.wait_for_url(live_server.url + f"/coordinator/quotes/{quote_service.quote_for(response_id, 'better.police').id}")
        assert page.locator("blockquote.quote-original").inner_text() == COMMENT
        assert page.locator("b").count() == 0  # the comment's HTML is shown as text
        assert run_axe(page) == []

        wording = page.get_by_label("Wording for reports")
        wording.fill("My worker Sarah rang me every week and listened.")
        page.get_by_role("button", name="Approve for reports").click()
        warning = page.get_by_role("alert")
        assert "may still identify someone" in warning.inner_text()
        assert "Name: Sarah" in warning.inner_text()
        assert wording.input_value() == "My worker Sarah rang me every week and listened."
        assert run_axe(page) == []

        # Edit it properly this time: no warning, approved straight away.
        wording.fill("My worker [name] rang me every week and listened.")
        page.get_by_role("button", name="Approve for reports").click()
        page.get_by_text("The quote is approved.").wait_for()
        assert page.locator(".quote-status").inner_text() == "Approved"
        assert run_axe(page) == []

        page.goto(live_server.url + "/coordinator/quotes?status=approved")
        assert page.locator(".quote-text").inner_text() == "My worker [name] rang me every week and listened."
        assert "Sarah" not in page.locator("main").inner_text()
        assert run_axe(page) == []
        assert storage_entries(page)["local"] == 0
        assert requests_seen.foreign() == []


def test_approve_anyway_after_the_warning(test_database, page, live_server):
    with running_app(test_database, KEYRING=live_server.keyring):
        from feedback_app.services.insight import quotes as quote_service

        response_id = store({"services": ["police"], "listened.police": "yes", "better.police": "Tesco staff were kind."})
        coordinator, secret = make_account("coordinator")
        quote, _ = quote_service.propose(response_id, "better.police", coordinator)
        page.set_viewport_size(TABLET)
        sign_in_page(page, live_server.url, coordinator.email, secret)

        page.goto(live_server.url + f"/coordinator/quotes/{quote.id}")
        page.get_by_label("Wording for reports").fill("The Tesco staff were kind.")
        page.get_by_role("button", name="Approve for reports").click()
        assert "Workplace: Tesco" in page.get_by_role("alert").inner_text()
        page.get_by_label("I have checked: approve this wording anyway").check()
        page.get_by_role("button", name="Approve for reports").click()
        page.get_by_text("The quote is approved.").wait_for()
        assert page.get_by_label("Wording for reports").input_value() == "The Tesco staff were kind."
