"""The privacy notice and the accessibility statement: survivor pages (the ``client`` checks
headers and the quick exit on every response) in every offered language, showing the
partnership's facts from its data file and the retention period from the configuration."""

import pytest
from babel.support import Translations
from bs4 import BeautifulSoup

from feedback_app.config import PROJECT_ROOT
from tests.conftest import running_app
from tests.helpers import partnership
from tests.helpers.partnership import write_partnership_file
from tests.helpers.staff import signed_in
from tests.views.test_languages import survivor_english, visible_text

LOCALES = ["en", "pl", "lt", "ur"]
PAGES = ["/privacy", "/accessibility"]
RETENTION_YEARS = 4


@pytest.fixture
def app(test_database, tmp_path):
    path = write_partnership_file(tmp_path)
    with running_app(test_database, PARTNERSHIP_FILE=str(path), RETENTION_YEARS=RETENTION_YEARS) as app:
        yield app


def translated(locale: str) -> Translations:
    return Translations.load(str(PROJECT_ROOT / "translations"), [locale])


def get_page(client, path: str, locale: str) -> BeautifulSoup:
    response = client.get(f"{path}?lang={locale}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("no-store")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.html["lang"] == locale
    assert page.html["dir"] == ("rtl" if locale == "ur" else "ltr")
    return page


def test_every_offered_language_is_tested(app):
    assert list(app.extensions["feedback_offered_locales"]) == LOCALES


@pytest.mark.parametrize("locale", LOCALES)
def test_the_privacy_notice_shows_the_partnerships_facts(client, locale):
    page = get_page(client, "/privacy", locale)
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == translated(locale).gettext("Privacy notice")
    for fact in (partnership.CONTROLLER, *partnership.CONTROLLER_ADDRESS, partnership.OFFICER):
        assert fact in text
    for email in (partnership.PRIVACY_EMAIL, partnership.OFFICER_EMAIL):
        assert page.find("a", href=f"mailto:{email}").get_text() == email
    assert page.find("a", href="https://ico.org.uk/make-a-complaint/")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_retention_period_is_the_configured_one(client, locale):
    page = get_page(client, "/privacy", locale)
    sentence = translated(locale).ngettext(
        "We keep answers for %(num)d year from the week they were sent. Then they are deleted, with anything made from them, such as quotes.",
        "We keep answers for %(num)d years from the week they were sent. Then they are deleted, with anything made from them, such as quotes.",
        RETENTION_YEARS,
    ) % {"num": RETENTION_YEARS}
    assert sentence in page.get_text(" ", strip=True)


def test_the_smallest_figure_shown_is_the_configured_threshold(client, app):
    text = get_page(client, "/privacy", "en").get_text(" ", strip=True)
    assert f"When fewer than {app.config['DISCLOSURE_THRESHOLD']} people gave an answer, the number is not shown" in text


@pytest.mark.parametrize("locale", LOCALES)
def test_the_accessibility_statement_shows_the_partnerships_facts(client, app, locale):
    page = get_page(client, "/accessibility", locale)
    text = page.get_text(" ", strip=True)
    for fact in (partnership.SITE, partnership.CONTROLLER, partnership.ACCESS_PHONE, "The Test Auditors Ltd"):
        assert fact in text
    assert page.find("a", href=f"mailto:{partnership.ACCESS_EMAIL}")
    assert page.find("a", href="tel:01354000111")
    # Partially compliant, with both known issues and the criteria they fail.
    assert translated(locale).gettext(
        "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2, "
        "level AA, because of the non-compliances listed below."
    ) in text
    issues = page.select(".known-issues > li")
    assert len(issues) == 2
    assert "1.1.1" in issues[0].get_text() and "1.3.1, 4.1.2" in issues[1].get_text()
    # Enforcement: the EHRC, and the ECNI in Northern Ireland.
    assert page.find("a", href="https://www.equalityadvisoryservice.com/")
    assert page.find("a", href="https://www.equalityni.org/")
    # Every offered language is named in its own language.
    listed = [(li["lang"], li.get_text(strip=True)) for li in page.select(".legal-languages li")]
    assert [code for code, _ in listed] == list(app.extensions["feedback_offered_locales"])


@pytest.mark.parametrize("locale", ["en", "pl", "lt", "ur"])
def test_prose_missing_in_a_language_is_shown_in_english_marked_as_english(client, locale):
    page = get_page(client, "/accessibility", locale)
    first, second = (li.p for li in page.select(".known-issues > li"))
    if locale in ("en", "pl"):
        assert first.get_text() == (partnership.ISSUE_PL if locale == "pl" else partnership.ISSUE_EN)
        assert not first.has_attr("lang")
    else:
        assert first.get_text() == partnership.ISSUE_EN
        assert (first["lang"], first["dir"]) == ("en", "ltr")
    # Given as one string: English everywhere, marked wherever the page is not in English.
    assert second.get_text() == partnership.SECOND_ISSUE_EN
    assert second.get("lang") == (None if locale == "en" else "en")


@pytest.mark.parametrize("locale", ["pl", "lt", "ur"])
def test_the_lawful_basis_is_shown_in_the_pages_language_where_the_file_gives_it(client, locale):
    page = get_page(client, "/privacy", locale)
    personal, special = page.select(".legal-basis")
    assert (personal.get_text(), personal["lang"]) == (partnership.BASIS, "en")
    assert not special.has_attr("lang") and special.get_text() != "Article 9(2)(g) UK GDPR"


@pytest.mark.parametrize("locale", ["pl", "lt", "ur"])
@pytest.mark.parametrize("path", PAGES)
def test_no_english_sentence_is_left_on_the_page(client, path, locale):
    page = get_page(client, path, locale)
    lines = {line.strip() for line in visible_text(page).split("\n")}
    assert sorted(m for m in survivor_english(locale) if m in lines) == []


def test_a_fully_compliant_statement_lists_no_issues(test_database, tmp_path):
    path = write_partnership_file(tmp_path, compliance="full", issues="")
    with running_app(test_database, PARTNERSHIP_FILE=str(path)) as app:
        page = get_page(app.test_client(), "/accessibility", "en")
    text = page.get_text(" ", strip=True)
    assert "This website is fully compliant with the Web Content Accessibility Guidelines version 2.2, level AA." in text
    assert "We do not know of any part of this website that is not accessible." in text
    assert not page.select(".known-issues") and "Non-accessible content" not in text


def footer_links(page: BeautifulSoup) -> set[str]:
    return {a["href"] for a in page.select("footer a")}


@pytest.mark.parametrize("path", ["/", "/staying-safe-online", "/s/adult", "/privacy", "/accessibility", "/no-such-page"])
def test_every_survivor_page_links_to_both_pages_from_its_footer(client, path):
    response = client.get(path)
    assert {"/privacy", "/accessibility"} <= footer_links(BeautifulSoup(response.get_data(as_text=True), "html.parser"))


@pytest.mark.parametrize("role", [None, "coordinator", "worker"])
def test_staff_pages_link_to_both_pages_from_their_footer(client, role):
    if role:
        signed_in(client, role)
    response = client.get({None: "/staff/sign-in", "coordinator": "/coordinator/", "worker": "/worker/"}[role])
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "staff" in page.body["class"]
    assert {"/privacy", "/accessibility"} <= footer_links(page)


@pytest.mark.parametrize("path", ["/", *PAGES])
def test_numbers_and_addresses_read_left_to_right_in_urdu(client, path):
    # In a right-to-left page "0808 2000 247" would otherwise show as "247 2000 0808".
    page = get_page(client, path, "ur")
    links = page.select('a[href^="tel:"], a[href^="mailto:"]')
    assert len(links) >= (1 if path == "/" else 3)
    assert [a.get_text() for a in links if a.get("dir") != "ltr"] == []


def test_the_partnerships_names_are_isolated_inside_translated_sentences(client):
    # An English name in an Urdu sentence keeps its own direction (brackets, word order).
    page = get_page(client, "/privacy", "ur")
    assert {bdi.get_text() for bdi in page.select("bdi")} >= {partnership.CONTROLLER, partnership.OFFICER}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", PAGES)
def test_dates_end_sentences_with_one_full_stop(client, path, locale):
    # A Lithuanian date ends with "d." ("2026 m. spalio 15 d."): the sentence adds no second one.
    assert ".." not in visible_text(get_page(client, path, locale))
