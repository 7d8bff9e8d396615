"""Each survey completed in Chromium, with JavaScript on and off, on a phone and a tablet."""

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Response
from tests.browser.conftest import PHONE, TABLET, storage_entries
from tests.browser.survey_driver import complete_survey

CHOICES = {
    "adult": {"services": ["police", "idva"], "seek_support": ["anonymity"], "preferred_support": ["phone"]},
    "young_person": {"supporters": ["school", "yp_idva"]},
    "seeking_support": {"seek_support": ["own_language"], "preferred_support": ["online_chat"]},
}


def stored_answers(live_server):
    """The answers stored, chosen ones with the server's keyring, words with the narrative key."""
    from tests.helpers.narratives import opened_answers

    rows = db.session.scalars(select(Response)).all()
    return [opened_answers(r, live_server.keyring) for r in rows]


@pytest.fixture
def js_off_page(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
@pytest.mark.parametrize("slug", sorted(CHOICES))
def test_complete_with_javascript(app, page, live_server, requests_seen, slug, viewport):
    page.set_viewport_size(viewport)
    history_before = None
    page.goto(live_server.url + "/")
    page.goto(f"{live_server.url}/s/{slug}")
    history_before = page.evaluate("history.length")
    headings = complete_survey(page, live_server.url, slug, choose=CHOICES[slug], check_axe=viewport == PHONE)
    assert headings[-1] == "Thank you"
    assert "Check your answers" in headings
    # The whole survey ran in one page: no new history entries, nothing in storage.
    assert page.evaluate("history.length") <= history_before + 1
    assert storage_entries(page) == {"local": 0, "session": 0, "indexeddb": 0}
    assert requests_seen.foreign() == []
    assert page.locator("textarea, input[type=radio]").count() == 0
    [answers] = stored_answers(live_server)
    assert "Helpful and kind" in answers.values()


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
@pytest.mark.parametrize("slug", sorted(CHOICES))
def test_complete_without_javascript(app, browser, live_server, slug, viewport):
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    try:
        headings = complete_survey(page, live_server.url, slug, choose=CHOICES[slug], text="Typed without scripts")
        assert headings[-1] == "Thank you"
        [answers] = stored_answers(live_server)
        assert "Typed without scripts" in answers.values()
    finally:
        context.close()
