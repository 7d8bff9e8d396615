"""The codebook and the coding queue in a real browser: accessible, themes assigned and
suggestions accepted with htmx, swapping only the comment that changed; comments searched
(accents ignored, matches marked, text inert), two selected and a theme added to both, at
desktop and tablet size; theme counts per quarter."""

from datetime import date

import pytest

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


DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["desktop", "tablet"])
def test_search_select_and_add_a_theme_to_many(test_database, page, live_server, requests_seen, viewport):
    with running_app(test_database, KEYRING=live_server.keyring):
        today = date.today()
        for text, language, field in [
            ("The officer came quickly and listened.", "en", "helpful.police"),
            ("Policjantka szybko przyjechała i wysłuchała mnie.", "pl", "helpful.police"),
            ("Pareigūnas greitai atvyko <b>x</b>.", "lt", "helpful.idva"),
            ("Nobody rang me back.", "en", "helpful.police"),
        ]:
            store({"services": ["police", "idva"], field: text}, language=language, submitted_on=today)
        themes.create_theme("Quick response", "", None, "helpful")
        themes.create_theme("Same officer each time", "", "services.police", "improvement")
        coordinator, secret = make_account("coordinator")
        page.set_viewport_size(viewport)
        sign_in_page(page, live_server.url, coordinator.email, secret)

        page.goto(live_server.url + "/coordinator/coding")
        page.get_by_label("Service").select_option("all")
        page.wait_for_url("**/coordinator/coding?*service=all*")
        page.wait_for_function("() => document.querySelectorAll('article.coding-comment').length === 4")
        page.evaluate("() => { window.stillTheSamePage = true; }")

        # Accents and capitals do not matter: "SZYBKO" and "greitai" are found by their folded forms.
        page.get_by_label("Search the comments").fill("quick")
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_url("**/coordinator/coding?*q=quick*")
        page.wait_for_function("() => document.querySelectorAll('article.coding-comment').length === 1")
        assert page.locator("blockquote mark").all_inner_texts() == ["quick"]
        page.get_by_label("Search the comments").fill("GREITAI")
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_function("() => document.querySelectorAll('blockquote mark').length === 1"
                               " && document.querySelector('blockquote mark').textContent === 'greitai'")
        assert page.locator("blockquote[lang=lt]").inner_text() == "Pareigūnas greitai atvyko <b>x</b>."
        assert page.locator("blockquote b").count() == 0  # shown as text

        page.get_by_label("Search the comments").fill("me")  # "came", "me"
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_function("() => document.querySelectorAll('article.coding-comment').length === 2")
        assert page.locator("#coding-search-result").inner_text() == "2 comments hold every word of “me”."
        assert run_axe(page) == []

        cards = page.locator("article.coding-comment")
        for index in (0, 1):
            cards.nth(index).get_by_label("Select this comment").check()
        page.get_by_label("Theme to add").select_option(label="Quick response")
        page.get_by_role("button", name="Add to the selected comments").click()
        page.wait_for_selector("#coding-bulk-message")
        assert page.locator("#coding-bulk-message").inner_text() == "Theme “Quick response” added to 2 comments."
        # htmx keeps the old attributes of an element with the same id until it settles.
        page.wait_for_function("() => document.querySelectorAll('article.coding-comment--coded').length === 2")
        assert page.locator("input[name=comment]:checked").count() == 0
        assert page.evaluate("() => window.stillTheSamePage === true")  # swapped in place, no reload
        assert page.get_by_label("Search the comments").input_value() == "me"
        assert run_axe(page) == []

        # Nothing selected: a kind message, and the search is still there.
        page.get_by_role("button", name="Add to the selected comments").click()
        page.wait_for_function("() => document.querySelector('#coding-bulk-message[role=alert]') !== null")
        assert "Select at least one comment" in page.locator("#coding-bulk-message").inner_text()
        assert page.locator("article.coding-comment").count() == 2

        page.goto(live_server.url + "/coordinator/themes/trend")
        assert page.get_by_role("heading", name="Adult survivors: what helped").is_visible()
        assert run_axe(page) == []
        assert storage_entries(page)["local"] == 0
        assert requests_seen.foreign() == []
