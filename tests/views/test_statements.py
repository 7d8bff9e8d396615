"""“You said, we did” for coordinators: a statement is written in English, translated into
each language, approved per language, published and withdrawn. Publishing, withdrawing and
approving are audited with the period and service only. A mistake comes back with
everything typed, and nothing saved. Only coordinators reach these pages."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import ROLES, Statement, StatementText
from feedback_app.services.figures import periods
from feedback_app.services.staff import audit
from tests.helpers.pages import check_page
from tests.helpers.staff import make_account, page_text, post_form, sign_in

LIST = "/coordinator/statements"
NEW = "/coordinator/statements/new"
YOU_SAID = "You told us that nobody explained what would happen after you called the police."
WE_DID = "Police officers now leave a card that explains the next steps, in plain words."
PL_YOU_SAID = "Mówiliście nam, że nikt nie wyjaśnił, co będzie dalej po zgłoszeniu na policję."
PL_WE_DID = "Policjanci zostawiają teraz kartkę, która prostymi słowami wyjaśnia kolejne kroki."
THIS_QUARTER = periods.quarter_of(date.today())


def add(client, **fields):
    data = {
        "period": THIS_QUARTER.token,
        "service": "services.police",
        "you_said": YOU_SAID,
        "we_did": WE_DID,
        "action": "save",
    } | fields
    return post_form(client, NEW, data)


def the_statement() -> Statement:
    [statement] = db.session.scalars(select(Statement)).all()
    return statement


def word(client, statement_id: int, language: str, you_said: str, we_did: str, action: str = "save", **extra):
    url = f"{LIST}/{statement_id}/{language}"
    return post_form(client, url, {"you_said": you_said, "we_did": we_did, "action": action, **extra})


def act(client, statement_id: int, what: str):
    return post_form(client, f"{LIST}/{statement_id}/{what}", form_page=f"{LIST}/{statement_id}")


def statement_page(client, statement_id: int):
    response = client.get(f"{LIST}/{statement_id}")
    assert response.status_code == 200
    return check_page(response)


def language_status(page, code: str) -> str:
    section = page.find("section", attrs={"aria-labelledby": f"wording-{code}"})
    return section.find("strong", class_="statement-status").get_text(strip=True)


def public(client, language: str = "en") -> BeautifulSoup:
    """The public page, as a visitor (not the coordinator) sees it in ``language``."""
    response = client.application.test_client().get(f"/you-said-we-did?lang={language}")
    assert response.status_code == 200
    return check_page(response)


def counted(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_empty_list_says_so_and_is_in_the_menu(coordinator):
    page = check_page(coordinator.get(LIST))
    assert "There are no statements yet." in page.get_text()
    assert page.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "You said, we did"
    assert page.find("a", href="/you-said-we-did") is not None  # to see the public page


def test_a_statement_from_draft_to_published_in_english_and_polish_then_withdrawn(coordinator):
    response = add(coordinator)
    statement = the_statement()
    assert response.status_code == 302 and response.headers["Location"] == f"{LIST}/{statement.id}"
    page = statement_page(coordinator, statement.id)
    assert "The statement is added as a draft." in page.get_text()
    assert page.find("h1").get_text(strip=True) == f"Statement: Police, {THIS_QUARTER.label}"
    assert [language_status(page, code) for code in ("en", "pl", "lt", "ur")] == ["Draft", "Missing", "Missing", "Missing"]

    # Not yet: the English must be approved first. Nothing is audited.
    act(coordinator, statement.id, "publish")
    assert "Approve the English wording first." in statement_page(coordinator, statement.id).get_text()
    assert the_statement().status == "draft" and audit.events_for("statement_published") == []

    act(coordinator, statement.id, "en/approve")
    page = statement_page(coordinator, statement.id)
    assert language_status(page, "en") == "Approved"
    word(coordinator, statement.id, "pl", PL_YOU_SAID, PL_WE_DID)
    page = statement_page(coordinator, statement.id)
    assert "The wording in Polish is saved as a draft." in page.get_text()
    assert language_status(page, "pl") == "Draft"
    assert page.find("dd", lang="pl").get_text(strip=True) == PL_YOU_SAID

    act(coordinator, statement.id, "publish")
    page = statement_page(coordinator, statement.id)
    assert "The statement is published." in page.get_text()
    assert "Published: shown on the public page in English." in page.get_text(" ", strip=True)
    # Published, but the Polish wording is a draft: the Polish page lists nothing and says
    # kindly that there is more in English, never showing English text.
    english_page = public(coordinator, "en").get_text(" ", strip=True)
    assert YOU_SAID in english_page and WE_DID in english_page
    polish = public(coordinator, "pl")
    assert YOU_SAID not in polish.get_text() and PL_YOU_SAID not in polish.get_text()
    more = polish.find("main").find("a", hreflang="en")
    assert more["href"] == "/you-said-we-did?lang=en"

    word(coordinator, statement.id, "pl", PL_YOU_SAID, PL_WE_DID, action="approve")
    page = statement_page(coordinator, statement.id)
    assert "The wording in Polish is saved and approved." in page.get_text()
    assert "Published: shown on the public page in English, Polish." in page.get_text(" ", strip=True)
    polish = public(coordinator, "pl")
    assert PL_YOU_SAID in polish.get_text() and PL_WE_DID in polish.get_text()
    assert YOU_SAID not in polish.get_text() and polish.find("main").find("a", hreflang="en") is None
    assert YOU_SAID not in public(coordinator, "lt").get_text()  # Lithuanian: still missing

    act(coordinator, statement.id, "withdraw")
    page = statement_page(coordinator, statement.id)
    assert "The statement is withdrawn." in page.get_text()
    assert YOU_SAID not in public(coordinator, "en").get_text()
    assert PL_YOU_SAID not in public(coordinator, "pl").get_text()

    place = f"{THIS_QUARTER.label}, services.police"
    assert [(e.action, e.target, e.detail) for e in audit.events_for() if e.action.startswith("statement")] == [
        ("statement_text_approved", f"statement {statement.id}", f"{place}, en"),
        ("statement_published", f"statement {statement.id}", place),
        ("statement_text_approved", f"statement {statement.id}", f"{place}, pl"),
        ("statement_withdrawn", f"statement {statement.id}", place),
    ]
    for event in audit.events_for():
        assert "police officers" not in (event.detail or "").lower() and "policj" not in (event.detail or "").lower()

    # Withdrawn is not gone: it can be published again, and is audited again.
    act(coordinator, statement.id, "publish")
    assert PL_YOU_SAID in public(coordinator, "pl").get_text()
    assert len(audit.events_for("statement_published")) == 2


def test_every_language_is_offered_with_its_own_form(coordinator):
    add(coordinator, action="approve")
    statement = the_statement()
    page = statement_page(coordinator, statement.id)
    for code in ("pl", "lt", "ur"):
        link = page.find("a", href=f"{LIST}/{statement.id}/{code}")
        assert link is not None and "Write the wording" in link.get_text()
    form_page = check_page(coordinator.get(f"{LIST}/{statement.id}/ur"))
    assert form_page.find("h1").get_text(strip=True) == f"Wording in Urdu: Police, {THIS_QUARTER.label}"
    box = form_page.find("textarea", id="you_said")
    assert (box["lang"], box["dir"]) == ("ur", "rtl")
    assert form_page.find("dd", lang="en").get_text(strip=True) == YOU_SAID  # the English to translate
    assert form_page.find("select", id="period") is None  # the quarter and service are the English form's

    word(coordinator, statement.id, "ur", "آپ نے ہمیں بتایا۔", "ہم نے تبدیلی کی۔", action="approve")
    word(coordinator, statement.id, "lt", "Jūs mums sakėte.", "", action="save")  # a draft may be unfinished
    page = statement_page(coordinator, statement.id)
    assert [language_status(page, code) for code in ("en", "pl", "lt", "ur")] == ["Approved", "Missing", "Draft", "Approved"]
    lithuanian = page.find("section", attrs={"aria-labelledby": "wording-lt"})
    assert lithuanian.find("button") is None  # an unfinished draft cannot be approved
    response = act(coordinator, statement.id, "lt/approve")
    assert response.status_code == 302
    page = statement_page(coordinator, statement.id)
    assert "Write both parts before approving" in page.get_text()
    assert language_status(page, "lt") == "Draft"


def test_changing_the_english_sends_translations_back_to_draft(coordinator):
    add(coordinator, action="approve")
    statement = the_statement()
    word(coordinator, statement.id, "pl", PL_YOU_SAID, PL_WE_DID, action="approve")
    act(coordinator, statement.id, "publish")
    assert PL_YOU_SAID in public(coordinator, "pl").get_text()

    # The same English again (approved as it is): the translation stays approved.
    word(coordinator, statement.id, "en", YOU_SAID, WE_DID, action="approve",
         period=THIS_QUARTER.token, service="services.police")
    assert language_status(statement_page(coordinator, statement.id), "pl") == "Approved"

    word(coordinator, statement.id, "en", YOU_SAID, "Officers now leave a card.", action="approve",
         period=THIS_QUARTER.token, service="services.police")
    page = statement_page(coordinator, statement.id)
    text = page.get_text(" ", strip=True)
    assert "The English wording changed, so check these translations and approve them again: Polish." in text
    assert language_status(page, "pl") == "Draft"
    assert "The English wording changed after this translation was saved." in text
    assert PL_YOU_SAID not in public(coordinator, "pl").get_text()
    assert "Officers now leave a card." in public(coordinator, "en").get_text()

    act(coordinator, statement.id, "pl/approve")  # checked, and still right
    page = statement_page(coordinator, statement.id)
    assert language_status(page, "pl") == "Approved"
    assert "The English wording changed after this translation was saved." not in page.get_text()
    assert PL_YOU_SAID in public(coordinator, "pl").get_text()


def test_saving_approved_wording_as_a_draft_takes_it_off_the_public_page(coordinator):
    add(coordinator, action="approve")
    statement = the_statement()
    act(coordinator, statement.id, "publish")
    word(coordinator, statement.id, "en", YOU_SAID, WE_DID + " Soon.", period=THIS_QUARTER.token,
         service="services.police")
    page = statement_page(coordinator, statement.id)
    assert "Published, but not shown on the public page until its English wording is approved." in page.get_text(" ", strip=True)
    assert YOU_SAID not in public(coordinator).get_text()


@pytest.mark.parametrize(
    "fields, field_id, message",
    [
        ({"you_said": "", "we_did": "  "}, "you_said", "Write what people told us, what was done, or both, before saving."),
        ({"you_said": "x" * 601}, "you_said", "Keep this to 600 characters or fewer."),
        ({"we_did": "y" * 601, "action": "approve"}, "we_did", "Keep this to 600 characters or fewer."),
        ({"we_did": "", "action": "approve"}, "we_did", "Write what was done before approving."),
        ({"you_said": "", "action": "approve"}, "you_said", "Write what people told us before approving."),
        ({"period": "2026-27"}, "period", "Choose a quarter from the list."),
        ({"period": "2010-11-q1"}, "period", "Choose a quarter from the list."),
        ({"period": periods.next_quarter(THIS_QUARTER).token}, "period", "Choose a quarter from the list."),
        ({"service": "services.spaceship"}, "service", "Choose a service from the list, or “General”."),
    ],
)
def test_bad_input_is_refused_kindly_and_keeps_everything_typed(coordinator, fields, field_id, message):
    typed = {"you_said": "Kept as typed <b>with care</b>", "we_did": "Also kept"} | fields
    response = add(coordinator, **typed)
    assert response.status_code == 400
    page = check_page(response)
    summary = page.find(class_="error-summary")
    assert message in summary.get_text() and summary.find("a", href=f"#{field_id}") is not None
    assert page.find(id=field_id)["aria-invalid"] == "true"
    assert page.find("textarea", id="you_said").get_text().strip() == typed["you_said"].strip()
    assert page.find("textarea", id="we_did").get_text().strip() == typed["we_did"].strip()
    assert page.find("select", id="service").find("option", selected=True) is not None or field_id == "service"
    assert counted(Statement) == 0 and counted(StatementText) == 0
    assert [e for e in audit.events_for() if e.action.startswith("statement")] == []


def test_a_bad_translation_keeps_what_was_typed_and_changes_nothing(coordinator):
    add(coordinator, action="approve")
    statement = the_statement()
    word(coordinator, statement.id, "pl", PL_YOU_SAID, PL_WE_DID, action="approve")
    response = word(coordinator, statement.id, "pl", "Nowe słowa", "ż" * 601, action="approve")
    assert response.status_code == 400
    page = check_page(response)
    assert "Your wording was not saved" in page.get_text()
    assert page.find("textarea", id="you_said").get_text().strip() == "Nowe słowa"
    assert page.find("textarea", id="we_did").get_text().strip() == "ż" * 601
    db.session.expire_all()
    polish = the_statement().text_in("pl")
    assert (polish.you_said, polish.we_did, polish.status) == (PL_YOU_SAID, PL_WE_DID, "approved")


def test_a_post_without_a_valid_token_changes_nothing(coordinator):
    response = coordinator.post(NEW, data={
        "csrf_token": "forged", "period": THIS_QUARTER.token, "service": "general",
        "you_said": YOU_SAID, "we_did": WE_DID, "action": "approve",
    })
    assert response.status_code == 400
    assert counted(Statement) == 0 and audit.events_for("statement_text_approved") == []


def test_spaces_are_tidied_and_general_is_a_service(coordinator):
    add(coordinator, service="general", you_said="  Two\n\nlines   here ", we_did="\tDone. ")
    statement = the_statement()
    english = statement.text_in("en")
    assert (statement.service, english.you_said, english.we_did) == ("general", "Two lines here", "Done.")
    page = statement_page(coordinator, statement.id)
    assert page.find("h1").get_text(strip=True) == f"Statement: General (not about one service), {THIS_QUARTER.label}"


def test_an_older_quarter_is_kept_when_the_english_is_changed(coordinator):
    coordinator_account = make_account("coordinator")[0]
    statement = Statement(period="2019-20-q2", service="services.housing", status="draft", created_by=coordinator_account.id)
    statement.texts.append(StatementText(language="en", you_said="Old", we_did="Older", status="draft"))
    db.session.add(statement)
    db.session.commit()
    page = check_page(coordinator.get(f"{LIST}/{statement.id}/en"))
    chosen = page.find("select", id="period").find("option", selected=True)
    assert chosen["value"] == "2019-20-q2" and "September 2019" in chosen.get_text()
    response = word(coordinator, statement.id, "en", "Newer", "Newest", period="2019-20-q2", service="services.housing")
    assert response.status_code == 302
    db.session.expire_all()
    assert (the_statement().period, the_statement().text_in("en").you_said) == ("2019-20-q2", "Newer")


def test_the_list_groups_statements_by_quarter_newest_first(coordinator):
    older = periods.quarter(THIS_QUARTER.year - 1, 2)
    add(coordinator, period=older.token, service="services.housing", you_said="Housing said")
    add(coordinator, service="services.police")
    add(coordinator, service="general", you_said="General said")
    page = check_page(coordinator.get(LIST))
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    assert headings[0].startswith(THIS_QUARTER.label) and headings[1].startswith(older.label)
    first = page.find_all("table")[0]
    services = [row.find("th").get_text(" ", strip=True) for row in first.find("tbody").find_all("tr")]
    assert services[0].startswith("General") and services[1].startswith("Police")
    assert "English: Draft" in first.get_text(" ", strip=True) and "Urdu: Missing" in first.get_text(" ", strip=True)


def test_unknown_statements_and_languages_are_not_found(coordinator):
    assert coordinator.get(f"{LIST}/999").status_code == 404
    assert coordinator.get(f"{LIST}/nope").status_code == 404
    add(coordinator)
    statement = the_statement()
    assert coordinator.get(f"{LIST}/{statement.id}/de").status_code == 404
    assert coordinator.get(f"{LIST}/{statement.id}/pl").status_code == 200


def test_a_polish_speaking_coordinator_gets_the_pages_in_polish(coordinator):
    add(coordinator)
    statement = the_statement()
    page = check_page(coordinator.get(f"{LIST}/{statement.id}?lang=pl"))
    assert page.find("h1").get_text(strip=True) == f"Komunikat: Policja, {THIS_QUARTER.label}"
    assert [language_status(page, code) for code in ("en", "pl")] == ["Wersja robocza", "Brak"]
    response = add(coordinator, you_said="", we_did="", action="approve")
    assert "Zanim zatwierdzisz, wpisz, co ludzie nam przekazali." in page_text(response)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "coordinator"])
def test_only_coordinators_manage_statements(app, client, role):
    account, secret = make_account(role)
    sign_in(client, account.email, secret=secret)
    author, _ = make_account("coordinator")
    statement = Statement(period=THIS_QUARTER.token, service="general", status="draft", created_by=author.id)
    statement.texts.append(StatementText(language="en", you_said="Said", we_did="Did", status="approved"))
    db.session.add(statement)
    db.session.commit()
    for url in (LIST, NEW, f"{LIST}/{statement.id}", f"{LIST}/{statement.id}/pl"):
        assert client.get(url).status_code == 403, url
    token = BeautifulSoup(client.get("/staff/account").get_data(as_text=True), "html.parser").find(
        "input", attrs={"name": "csrf_token"})["value"]
    for url in (NEW, f"{LIST}/{statement.id}/en", f"{LIST}/{statement.id}/publish", f"{LIST}/{statement.id}/en/approve"):
        assert client.post(url, data={"csrf_token": token, "you_said": "x", "we_did": "y"}).status_code == 403, url
    db.session.expire_all()
    assert the_statement().status == "draft" and audit.events_for("statement_published") == []


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")
