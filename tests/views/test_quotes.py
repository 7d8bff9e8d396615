"""Quotes: a coordinator proposes a comment, checks the suggested redactions, edits and
approves the wording, or withdraws it. Survivor text stays sealed, inert and out of the
audit log; bad input gets a kind message, never a 500."""

import uuid

import pytest
from sqlalchemy import select, text

from feedback_app.extensions import db
from feedback_app.models import AuditEvent, Quote, Response
from feedback_app.services.insight import quotes as quote_service
from tests.helpers.pages import check_page
from tests.helpers.responses import store
from tests.helpers.staff import make_account, page_text, post_form, signed_in

LIST = "/coordinator/quotes"
PROPOSE = "/coordinator/quotes/propose"
COMMENT = "My worker Sarah Jones rang me on 07700 900123 every week. I am 34 and live near CB1 2AB."
REDACTED = "My worker [name] rang me on [phone number] every week. I am [age] and live near [postcode]."


def adult_comment(comment=COMMENT, field="better.police", language="en"):
    answers = {"services": ["police"], "listened.police": "yes", field: comment}
    return store(answers, language=language)


def propose(client, response_id, field="better.police", **extra):
    return post_form(client, PROPOSE, {"response_id": str(response_id), "field": field, **extra}, form_page=LIST)


def review_url(quote):
    return f"/coordinator/quotes/{quote.id}"


def only_quote():
    quotes = list(db.session.scalars(select(Quote)))
    assert len(quotes) == 1
    return quotes[0]


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return check_page(response)


def textarea(page):
    # WTForms starts the textarea with a line break, which browsers drop.
    return page.find("textarea", attrs={"name": "text"}).get_text().removeprefix("\r\n")


def act(client, quote, action, wording, **extra):
    return post_form(client, review_url(quote), {"action": action, "text": wording, **extra})


# -- proposing ----------------------------------------------------------------------------


def test_propose_goes_to_a_review_page_with_the_redactions_applied(coordinator):
    response_id = adult_comment()
    response = propose(coordinator, response_id)
    assert response.status_code == 302
    quote = only_quote()
    assert response.headers["Location"] == review_url(quote)
    assert quote.status == "proposed" and quote.field == "better.police"
    assert quote_service.quote_text(quote) == REDACTED

    page = get_page(coordinator, review_url(quote))
    assert "proposed as a quote" in page.get_text()
    original = page.find("blockquote", class_="quote-original")
    assert original.get_text() == COMMENT and original["lang"] == "en"
    assert textarea(page) == REDACTED
    found = [[td.get_text(strip=True) for td in row.find_all("td")] for row in page.find("table").find("tbody").find_all("tr")]
    assert found == [
        ["Name", "Sarah Jones", "[name]"],
        ["Phone number", "07700 900123", "[phone number]"],
        ["Age", "34", "[age]"],
        ["Postcode", "CB1 2AB", "[postcode]"],
    ]
    text_on_page = page_text(coordinator.get(review_url(quote)))
    assert "Police" in text_on_page and "What could they do better?" in text_on_page


def test_proposing_the_same_comment_twice_goes_to_the_same_quote(coordinator):
    response_id = adult_comment()
    first = propose(coordinator, response_id)
    second = propose(coordinator, response_id)
    assert first.headers["Location"] == second.headers["Location"]
    only_quote()
    assert "already a quote" in page_text(coordinator.get(second.headers["Location"]))


def test_a_polish_comment_is_shown_in_polish(coordinator):
    response_id = adult_comment("Pani Kasia z policji dzwoniła 12 marca 2025 r. i pomogła.", language="pl")
    propose(coordinator, response_id)
    quote = only_quote()
    page = get_page(coordinator, review_url(quote))
    assert page.find("blockquote", class_="quote-original")["lang"] == "pl"
    assert page.find("textarea")["lang"] == "pl"
    assert textarea(page) == "Pani [name] z policji dzwoniła [date] i pomogła."


@pytest.mark.parametrize(
    "response_id, field, message",
    [
        (None, "better.police", "could not find that comment"),  # an unknown response
        ("not-a-uuid", "better.police", "could not find that comment"),
        ("", "better.police", "could not find that comment"),
        ("stored", "listened.police", "Only written comments"),  # a choice, not text
        ("stored", "services", "Only written comments"),
        ("stored", "nope", "Only written comments"),
        ("stored", "better.housing", "not answered in writing"),  # a text question left blank
        ("stored", "better.nonsense", "Only written comments"),
        ("stored", "", "Only written comments"),
    ],
)
def test_bad_proposals_get_a_kind_message_and_nothing_is_stored(coordinator, response_id, field, message):
    stored = adult_comment()
    response_id = {None: str(uuid.uuid4()), "stored": str(stored)}.get(response_id, response_id)
    response = propose(coordinator, response_id, field)
    assert response.status_code == 302
    assert response.headers["Location"] == LIST
    assert message in page_text(coordinator.get(LIST))
    assert db.session.scalars(select(Quote)).first() is None


def test_a_failed_proposal_returns_to_the_coordinator_page_it_came_from(coordinator):
    response = propose(coordinator, uuid.uuid4(), next="/coordinator/coding?service=services.police")
    assert response.headers["Location"] == "/coordinator/coding?service=services.police"
    for elsewhere in ("https://evil.example/coordinator/", "//evil.example/coordinator/", "/staff/account", "javascript:alert(1)"):
        response = propose(coordinator, uuid.uuid4(), next=elsewhere)
        assert response.headers["Location"] == LIST, elsewhere


# -- reviewing, approving, withdrawing ---------------------------------------------------


def test_edit_save_approve_then_listed(coordinator):
    propose(coordinator, adult_comment())
    quote = only_quote()
    edited = "My worker [name] rang me every week."

    response = act(coordinator, quote, "save", edited)
    assert response.status_code == 302
    db.session.refresh(quote)
    assert quote.status == "proposed" and quote_service.quote_text(quote) == edited
    assert textarea(get_page(coordinator, review_url(quote))) == edited

    response = act(coordinator, quote, "approve", edited + "\r\nIt helped.")
    assert response.status_code == 302
    db.session.refresh(quote)
    assert quote.status == "approved"
    assert quote.approved_by is not None and quote.approved_at is not None
    assert quote_service.quote_text(quote) == edited + "\nIt helped."
    assert "approved" in page_text(coordinator.get(review_url(quote)))

    page = get_page(coordinator, LIST + "?status=approved")
    row = page.find("tbody").find("tr")
    assert row.find(class_="quote-text").get_text() == edited + "\nIt helped."
    row_text = row.get_text(" ", strip=True)
    assert "Police: What could they do better?" in row_text
    assert "Approved" in row_text and "Proposed by Test Coordinator" in row_text and "Approved by Test Coordinator" in row_text
    assert "Sarah" not in page.get_text() and "07700" not in page.get_text()
    assert "No quotes with this status" in page_text(coordinator.get(LIST + "?status=withdrawn"))


def test_the_list_shows_the_redacted_wording_never_the_original(coordinator):
    propose(coordinator, adult_comment())
    page = get_page(coordinator, LIST)
    assert page.find(class_="quote-text").get_text() == REDACTED
    assert "Sarah" not in page.get_text()
    assert "Proposed (draft)" in page.get_text()


def test_an_unknown_status_filter_is_explained(coordinator):
    propose(coordinator, adult_comment())
    page = get_page(coordinator, LIST + "?status=<b>nonsense</b>")
    assert "Choose one of the options" in page.get_text()
    assert len(page.find("tbody").find_all("tr")) == 1  # the filter is ignored


def test_approving_wording_that_still_identifies_needs_a_confirmation(coordinator):
    propose(coordinator, adult_comment())
    quote = only_quote()
    risky = "PC Smith helped me, call 07700 900456."

    response = act(coordinator, quote, "approve", risky)
    assert response.status_code == 200
    page = check_page(response)
    warning = page.find(role="alert")
    assert "may still identify someone" in warning.get_text()
    assert "Name: Smith" in warning.get_text(" ", strip=True) and "Phone number: 07700 900456" in warning.get_text(" ", strip=True)
    assert textarea(page) == risky  # what was typed is kept
    assert page.find("input", attrs={"name": "approve_anyway"}) is not None
    token = page.find("input", attrs={"name": "findings"})["value"]
    db.session.refresh(quote)
    assert quote.status == "proposed" and quote_service.quote_text(quote) == REDACTED  # nothing saved

    # Approve anyway, without ticking the box: warned again.
    assert act(coordinator, quote, "approve", risky, findings=token).status_code == 200
    # Ticked, but the wording changed meanwhile and found something else: warned again.
    response = act(coordinator, quote, "approve", "PC Brown helped me.", findings=token, approve_anyway="y")
    assert response.status_code == 200 and "Name: Brown" in page_text(response)
    db.session.refresh(quote)
    assert quote.status == "proposed"

    response = act(coordinator, quote, "approve", risky, findings=token, approve_anyway="y")
    assert response.status_code == 302
    db.session.refresh(quote)
    assert quote.status == "approved" and quote_service.quote_text(quote) == risky
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "quote_approved")).one()
    assert event.detail == "better.police; 2 kept after a warning: phone, name"


def test_empty_wording_is_refused_and_nothing_is_saved(coordinator):
    propose(coordinator, adult_comment())
    quote = only_quote()
    for action in ("save", "approve"):
        response = act(coordinator, quote, action, "  \r\n  ")
        assert response.status_code == 400
        page = check_page(response)
        assert "The quote is empty" in page.find(class_="field-error").get_text()
        assert page.find("textarea")["aria-invalid"] == "true"
        db.session.refresh(quote)
        assert quote.status == "proposed" and quote_service.quote_text(quote) == REDACTED


def test_an_unknown_action_or_quote_is_refused(coordinator):
    propose(coordinator, adult_comment())
    quote = only_quote()
    assert act(coordinator, quote, "delete", "Fine.").status_code == 400
    assert coordinator.get(f"/coordinator/quotes/{uuid.uuid4()}").status_code == 404
    assert coordinator.get("/coordinator/quotes/not-a-uuid").status_code == 404
    response = post_form(coordinator, f"/coordinator/quotes/{uuid.uuid4()}/withdraw", form_page=LIST)
    assert response.status_code == 404


def test_withdraw_an_approved_quote(coordinator):
    propose(coordinator, adult_comment())
    quote = only_quote()
    act(coordinator, quote, "approve", "They rang me every week.")
    response = post_form(coordinator, review_url(quote) + "/withdraw", form_page=review_url(quote))
    assert response.status_code == 302
    db.session.refresh(quote)
    assert quote.status == "withdrawn" and quote.approved_by is None
    page = get_page(coordinator, review_url(quote))
    assert "never appear in reports" in page.get_text()
    assert page.find("form", action=review_url(quote) + "/withdraw") is None
    assert "No quotes with this status" in page_text(coordinator.get(LIST + "?status=approved"))
    assert "They rang me every week." in page_text(coordinator.get(LIST + "?status=withdrawn"))

    # Withdrawing twice is explained; proposing it again leads back to it; a draft reopens it.
    response = post_form(coordinator, review_url(quote) + "/withdraw", form_page=review_url(quote))
    assert "already withdrawn" in page_text(coordinator.get(response.headers["Location"]))
    response = propose(coordinator, quote.response_id)
    assert response.headers["Location"] == review_url(quote)
    assert "withdrawn" in page_text(coordinator.get(review_url(quote)))
    act(coordinator, quote, "save", "They rang me every week.")
    db.session.refresh(quote)
    assert quote.status == "proposed"


def test_changing_an_approved_quote_needs_approval_again(coordinator):
    propose(coordinator, adult_comment())
    quote = only_quote()
    act(coordinator, quote, "approve", "They rang me every week.")
    act(coordinator, quote, "save", "They rang me every single week.")
    db.session.refresh(quote)
    assert quote.status == "proposed" and quote.approved_at is None


# -- what is stored, shown and logged -----------------------------------------------------


def test_stored_wording_is_ciphertext_and_the_audit_log_holds_no_text(coordinator):
    distinctive = "Pineapple-Lighthouse-7731 helped me a lot"
    propose(coordinator, adult_comment(distinctive))
    quote = only_quote()
    act(coordinator, quote, "approve", distinctive + " indeed")
    raw = db.session.execute(text("SELECT text FROM quotes")).scalar_one()
    raw = bytes(raw)
    assert b"Pineapple" not in raw and b"Lighthouse" not in raw and b"helped" not in raw
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("quote_%"))))
    assert [e.action for e in events] == ["quote_proposed", "quote_approved"]
    for event in events:
        assert event.target == f"quote {quote.id}"
        assert "Pineapple" not in (event.detail or "") and "helped" not in (event.detail or "")
    log = page_text(coordinator.get(LIST))
    assert "Pineapple" in log  # the coordinator does see the wording


def test_audit_details_name_kinds_not_text(coordinator):
    propose(coordinator, adult_comment())
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "quote_proposed")).one()
    assert event.detail == "better.police; 4 suggested: phone, postcode, age, name"
    quote = only_quote()
    post_form(coordinator, review_url(quote) + "/withdraw", form_page=review_url(quote))
    act(coordinator, quote, "save", "Fine.")
    details = [e.detail for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("quote_%")).order_by(AuditEvent.id))]
    assert details[1:] == ["was proposed", "was withdrawn"]


def test_html_in_a_comment_is_inert(coordinator):
    nasty = '<script>alert("x")</script><img src=x onerror=alert(1)> <b>bold</b>'
    propose(coordinator, adult_comment(nasty))
    quote = only_quote()
    for url in (review_url(quote), LIST):
        response = coordinator.get(url)
        html = response.get_data(as_text=True)
        page = check_page(response)  # fails on any script without the page's nonce
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
        assert page.find("img") is None and page.find("b") is None
        assert '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;' in html or "&lt;script&gt;" in html
    page = get_page(coordinator, review_url(quote))
    assert page.find("blockquote").get_text() == nasty


def test_a_quote_whose_comment_cannot_be_read_still_shows_its_wording(coordinator):
    propose(coordinator, adult_comment())
    quote = only_quote()
    with db.engine.begin() as connection:  # SQLite does not enforce the cascade here
        connection.execute(text("UPDATE quotes SET field = 'better.housing'"))
    db.session.expire_all()
    page = get_page(coordinator, review_url(quote))
    assert "not answered in writing" in page.get_text()
    assert textarea(page) == REDACTED


def _damage(blob: bytes) -> bytes:
    return blob[:-1] + bytes([blob[-1] ^ 1])


def test_wording_that_does_not_open_is_explained_not_an_error(coordinator):
    propose(coordinator, adult_comment())
    quote = only_quote()
    quote.text = _damage(quote.text)
    db.session.commit()
    page = get_page(coordinator, review_url(quote))
    assert "The saved wording could not be opened" in page.get_text()
    assert textarea(page) == ""
    page = get_page(coordinator, LIST)
    assert "This quote could not be opened." in page.get_text()


def test_a_comment_whose_response_does_not_open_cannot_be_quoted(coordinator):
    response_id = adult_comment()
    row = db.session.get(Response, response_id)
    row.payload = _damage(row.payload)
    db.session.commit()
    response = propose(coordinator, response_id)
    assert response.status_code == 302
    assert "could not be opened, so it cannot be quoted" in page_text(coordinator.get(response.headers["Location"]))
    assert db.session.scalars(select(Quote)).first() is None


def test_a_quote_whose_response_was_deleted_is_still_listed(coordinator):
    propose(coordinator, adult_comment())
    url = review_url(only_quote())
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM responses"))
    db.session.expire_all()
    if db.session.scalars(select(Quote)).first() is None:
        return  # PostgreSQL cascaded the delete: nothing left to show
    page = get_page(coordinator, LIST)
    assert page.find(class_="quote-text").get_text() == REDACTED
    page = get_page(coordinator, url)
    assert "could not find that comment" in page.get_text()
    assert textarea(page) == REDACTED


# -- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["worker", "admin"])
def test_workers_and_admins_cannot_reach_quotes(client, role):
    response_id = adult_comment()
    quote, _ = quote_service.propose(response_id, "better.police", make_account("coordinator")[0])
    signed_in(client, role)
    for url in (LIST, review_url(quote)):
        assert client.get(url).status_code == 403
    token_page = "/staff/account"
    assert post_form(client, PROPOSE, {"response_id": str(response_id), "field": "better.police"}, form_page=token_page).status_code == 403
    assert post_form(client, review_url(quote), {"action": "approve", "text": "x"}, form_page=token_page).status_code == 403
    assert post_form(client, review_url(quote) + "/withdraw", form_page=token_page).status_code == 403
    db.session.refresh(quote)
    assert quote.status == "proposed"


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get(LIST).headers["Location"].startswith("/staff/sign-in")
