"""The codebook and the coding queue in a real browser at tablet size: accessible, and themes
assigned and suggestions accepted with htmx, swapping only the comment that changed."""

from datetime import date

from feedback_app.services.insight import themes
from tests.browser.conftest import TABLET, run_axe, storage_entries
from tests.conftest import running_app
from tests.helpers.responses import store
from tests.helpers.staff import make_account, sign_in_page


def test_code_comments_with_htmx(test_database, page, live_server, requests_seen):
    # Stored with the live server's keyring, so that the server can open the responses.
    with running_app(test_database, KEYRING=live_server.keyring):
        today = date.today()
        store({"services": ["police"], "helpful.police": "Quick response when I called."}, submitted_on=today)
        store({"services": ["police"], "helpful.police": "Policja szybko przyjechała <b>x</b>."}, language="pl",
              submitted_on=today)
        quick = themes.create_theme("Quick response", "", None, "helpful")
        themes.add_rule(quick, "en", "quick")
        themes.add_rule(quick, "pl", "szybk*")
        themes.create_theme("Listened to without judgement", "", None, "helpful")
        themes.create_theme("Same officer each time", "", "services.police", "improvement")
        coordinator, secret = make_account("coordinator")
        page.set_viewport_size(TABLET)
        sign_in_page(page, live_server.url, coordinator.email, secret)

        page.get_by_role("link", name="Themes", exact=True).click()
        page.wait_for_url(live_server.url + "/coordinator/themes")
        assert page.get_by_role("heading", name="General (any service): what helped").is_visible()
        assert run_axe(page) == []

        page.get_by_role("link", name="Coding", exact=True).click()
        page.wait_for_url(live_server.url + "/coordinator/coding")
        assert page.locator("#coding-progress").inner_text() == "0 of 2 comments coded"
        polish = page.locator("blockquote[lang=pl]")
        assert polish.inner_text() == "Policja szybko przyjechała <b>x</b>."  # shown as text
        assert run_axe(page) == []
        page.evaluate("() => { window.stillTheSamePage = true; }")

        english = page.locator("article.coding-comment", has=page.locator("blockquote[lang=en]"))
        english.get_by_label("Add a theme").select_option(label="Listened to without judgement")
        english.get_by_role("button", name="Add theme").click()
        page.wait_for_function(
            "() => document.querySelector('#coding-progress').textContent.trim() === '1 of 2 comments coded'"
        )
        english = page.locator("article.coding-comment", has=page.locator("blockquote[lang=en]"))
        assert "Theme “Listened to without judgement” added." in english.inner_text()

        card = page.locator("article.coding-comment", has=page.locator("blockquote[lang=pl]"))
        card.get_by_role("button", name="Accept suggestion “Quick response”").click()
        page.wait_for_function(
            "() => document.querySelector('#coding-progress').textContent.trim() === '2 of 2 comments coded'"
        )
        card = page.locator("article.coding-comment", has=page.locator("blockquote[lang=pl]"))
        assert "Suggestion accepted: theme “Quick response” added." in card.inner_text()
        assert card.get_by_role("button", name="Accept suggestion “Quick response”").count() == 0
        assert page.evaluate("() => window.stillTheSamePage === true")  # swapped in place, no reload
        assert page.url == live_server.url + "/coordinator/coding"
        assert run_axe(page) == []

        # Choosing another question swaps the queue in and pushes a bookmarkable URL.
        page.get_by_label("Question").select_option("better")
        page.wait_for_url("**/coordinator/coding?*question=better*")
        page.wait_for_function("() => document.querySelectorAll('article.coding-comment').length === 0")
        assert page.get_by_label("Question").input_value() == "better"
        assert storage_entries(page)["local"] == 0
        assert requests_seen.foreign() == []
