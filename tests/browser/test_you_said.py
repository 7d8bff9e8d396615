"""“You said, we did” in a real browser, on a desktop screen and a tablet: a coordinator
writes a statement, translates it into Polish, approves both and publishes it; a visitor then
finds it on the public page in English and in Polish (not in Lithuanian, where the page
points to English instead). Every page passes axe, the public page keeps its quick exit in
view, stores nothing in the browser and asks no other host for anything."""

import pytest

from tests.browser.conftest import TABLET, RequestLog, run_axe, storage_entries
from tests.browser.test_targets_and_focus import _small_targets
from tests.conftest import running_app
from tests.helpers.staff import make_account, sign_in_page

DESKTOP = {"width": 1280, "height": 800}
YOU_SAID = "You told us that nobody explained what would happen after you called the police."
WE_DID = "Officers now leave a card that explains the next steps in plain words."
PL_YOU_SAID = "Mówiliście nam, że nikt nie wyjaśnił, co będzie dalej po zgłoszeniu na policję."
PL_WE_DID = "Policjanci zostawiają teraz kartkę, która prostymi słowami wyjaśnia kolejne kroki."


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["1280x800", "768x1024"])
def test_a_coordinator_publishes_a_statement_with_a_polish_translation(test_database, page, browser, live_server, viewport):
    with running_app(test_database, KEYRING=live_server.keyring):
        coordinator, secret = make_account("coordinator")
        page.set_viewport_size(viewport)
        sign_in_page(page, live_server.url, coordinator.email, secret)

        page.get_by_role("navigation", name="Coordinator").get_by_role("link", name="You said, we did").click()
        page.wait_for_url(live_server.url + "/coordinator/statements")
        assert "There are no statements yet." in page.locator("main").inner_text()
        assert run_axe(page) == []

        page.get_by_role("link", name="Add a statement").click()
        page.wait_for_url(live_server.url + "/coordinator/statements/new")
        assert run_axe(page) == []
        page.get_by_label("Service").select_option("services.police")
        page.get_by_label("You said", exact=True).fill(YOU_SAID)
        page.get_by_label("We did", exact=True).fill("x" * 601)  # too long: kept, and said kindly
        page.get_by_role("button", name="Save and approve").click()
        page.get_by_role("alert").get_by_text("Keep this to 600 characters or fewer.").wait_for()
        assert page.get_by_label("You said", exact=True).input_value() == YOU_SAID
        assert run_axe(page) == []
        page.get_by_label("We did", exact=True).fill(WE_DID)
        page.get_by_role("button", name="Save and approve").click()
        page.get_by_text("The statement is added, and its English wording is approved.").wait_for()
        assert run_axe(page) == []

        page.get_by_role("link", name="Write the wording (Polish)").click()
        assert page.locator("textarea#you_said").get_attribute("lang") == "pl"
        assert run_axe(page) == []
        page.get_by_label("You said", exact=True).fill(PL_YOU_SAID)
        page.get_by_label("We did", exact=True).fill(PL_WE_DID)
        page.get_by_role("button", name="Save and approve").click()
        page.get_by_text("The wording in Polish is saved and approved.").wait_for()

        page.get_by_role("button", name="Publish").click()
        page.get_by_text("The statement is published.").wait_for()
        assert "Published: shown on the public page in English, Polish." in page.locator("main").inner_text()
        assert run_axe(page) == []

        # A visitor, in a browser of their own.
        visitor = browser.new_context(viewport=viewport)
        try:
            public = visitor.new_page()
            requests = RequestLog([live_server.url, live_server.exit_url])
            public.on("request", requests.record)
            public.goto(live_server.url + "/")
            public.get_by_role("link", name="You said, we did: what changed because of what people told us").click()
            public.wait_for_url(live_server.url + "/you-said-we-did")
            main = public.locator("main")
            assert public.locator("h1").inner_text() == "You said, we did"
            assert YOU_SAID in main.inner_text() and WE_DID in main.inner_text()
            assert public.locator("h3").first.inner_text() == "Police"
            assert public.locator(".site-header .quick-exit").is_visible()
            assert run_axe(public) == []

            public.locator(".languages a[hreflang=pl]").first.click()
            public.wait_for_function("() => document.documentElement.lang === 'pl'")
            assert PL_YOU_SAID in main.inner_text() and PL_WE_DID in main.inner_text()
            assert YOU_SAID not in main.inner_text()
            assert public.locator(".site-header .quick-exit").is_visible()
            assert run_axe(public) == []

            public.locator(".languages a[hreflang=lt]").first.click()
            public.wait_for_function("() => document.documentElement.lang === 'lt'")
            assert PL_YOU_SAID not in main.inner_text() and YOU_SAID not in main.inner_text()
            assert main.locator("a[hreflang=en]").is_visible()  # kindly: there is more in English
            assert run_axe(public) == []
            assert _small_targets(public) == []

            assert storage_entries(public) == {"local": 0, "session": 0, "indexeddb": 0}
            assert requests.foreign() == []
        finally:
            visitor.close()
