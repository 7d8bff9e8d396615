"""Choosing a language, and pages rendered in every language."""

import re

import pytest
from babel.messages.pofile import read_po

from feedback_app.i18n import LANG_COOKIE, catalog_path, is_survivor_facing, offered_locales
from tests.helpers.pages import check_page
from tests.helpers.survey_walker import SurveyWalker
from tests.unit.test_translations import SAME_AS_ENGLISH

LOCALES = ["en", "pl", "lt", "ur"]


def lang_of(response):
    return re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.get_data(as_text=True)).groups()


def test_all_languages_are_offered(app):
    assert app.extensions["feedback_offered_locales"] == ("en", "pl", "lt", "ur")


def test_default_is_english(client):
    assert lang_of(client.get("/")) == ("en", "ltr")


def test_accept_language_is_used(client):
    assert lang_of(client.get("/", headers={"Accept-Language": "lt-LT,lt;q=0.9,en;q=0.5"}))[0] == "lt"


def test_explicit_choice_beats_cookie_and_browser_and_is_remembered(client):
    response = client.get("/?lang=pl", headers={"Accept-Language": "lt"})
    assert lang_of(response)[0] == "pl"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{LANG_COOKIE}=pl")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie  # gone when the browser closes
    assert lang_of(client.get("/", headers={"Accept-Language": "lt"}))[0] == "pl"


def test_unknown_language_choice_is_ignored(client):
    assert lang_of(client.get("/?lang=xx"))[0] == "en"


def test_urdu_is_right_to_left(client):
    response = client.get("/?lang=ur")
    assert lang_of(response) == ("ur", "rtl")
    page = check_page(response)
    assert page.select_one(".site-header .quick-exit")


def survivor_english(locale):
    """English survivor-facing messages that must not appear on a page in ``locale``."""
    with catalog_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return [
        m.id for m in catalog
        if isinstance(m.id, str) and is_survivor_facing(m) and m.id not in SAME_AS_ENGLISH
        and m.string != m.id and len(m.id) > 3 and "%(" not in m.id
    ]


def visible_text(page):
    for hidden in page.select("[hidden], .visually-hidden, script"):
        hidden.decompose()
    return page.get_text("\n", strip=True)


@pytest.mark.parametrize("locale", ["pl", "lt", "ur"])
@pytest.mark.parametrize("slug", ["adult", "young_person", "seeking_support"])
def test_survivor_path_has_no_english_left(client, locale, slug):
    english = survivor_english(locale)
    texts = []
    for url in ("/", "/staying-safe-online", "/no-such-page", f"/s/{slug}"):
        response = client.get(f"{url}?lang={locale}")
        assert lang_of(response)[0] == locale
        texts.append(visible_text(check_page(response)))
    walker = SurveyWalker(client, slug)
    walker.start()
    while walker.screen != "done":
        texts.append(visible_text(walker.page))
        kind = walker.screen.split(":")[0]
        if kind == "review":
            walker.press("submit")
        elif kind == "warning":
            walker.press("continue")
        else:
            picks = {"services": ["police"], "supporters": ["school"]}
            walker.press(answers={k: v for k, v in picks.items() if walker.page.find("input", attrs={"name": k})})
    texts.append(visible_text(walker.page))
    lines = {line.strip() for text in texts for line in text.split("\n")}
    leftovers = sorted(m for m in english if m in lines)
    assert leftovers == []


def test_switching_language_mid_survey_keeps_answers(client):
    walker = SurveyWalker(client, "adult")
    walker.start()
    walker.press(answers={"age": "age_35_44"})
    walker.press(None, answers={"services": ["housing"]}, extra={"lang": "pl"})
    assert lang_of(walker.response)[0] == "pl"
    assert walker.screen == "step:services"
    assert walker.page.find("input", attrs={"name": "services", "value": "housing"}).has_attr("checked")
    walker.press(None, extra={"lang": "en"})
    walker.press("back")
    assert walker.page.find("input", attrs={"name": "age", "value": "age_35_44"}).has_attr("checked")


def test_language_switch_with_htmx_returns_the_whole_page(client):
    walker = SurveyWalker(client, "adult", htmx=True)
    walker.start()
    response = client.post(
        "/s/adult",
        data={**walker.form_values().to_dict(flat=False), "lang": "lt"},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert '<html lang="lt"' in html and 'data-lang="lt"' in html


def test_response_records_its_language(client, app):
    from feedback_app.extensions import db
    from feedback_app.models import Response

    walker = SurveyWalker(client, "seeking_support")
    walker.open()
    client.get("/?lang=lt")
    walker.start()
    while walker.screen != "review":
        walker.press()
    walker.press("submit")
    assert [r.language for r in db.session.query(Response)] == ["lt"]


def test_an_incomplete_language_is_not_offered(app, tmp_path, monkeypatch, caplog):
    po = tmp_path / "pl.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: pl\\n"\n\n'
        "#: feedback_app/templates/survey/_step.html:3\nmsgid \"Continue\"\nmsgstr \"\"\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("feedback_app.i18n.catalog_path", lambda code: po if code == "pl" else catalog_path(code))
    with caplog.at_level("WARNING"):
        offered = offered_locales(app)
    assert "pl" not in offered and "lt" in offered
    assert "language pl is not offered: 1 survivor-facing messages" in caplog.text
    app.config["OFFER_INCOMPLETE_LOCALES"] = True
    assert "pl" in offered_locales(app)


@pytest.mark.parametrize("locale", ["pl", "lt"])
def test_error_messages_are_translated(client, locale):
    walker = SurveyWalker(client, "adult")
    client.get(f"/?lang={locale}")
    walker.start()
    walker.press(answers={"age": "nope"})
    assert "Please choose from the options shown." not in walker.text
    assert walker.page.find(class_="error-summary")
