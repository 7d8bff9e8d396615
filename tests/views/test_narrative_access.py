"""Coordinators read survivors' words only in a session their password unlocked: after sign-in
and not after sign-out; a reset password means no words until access is given again; access
is given and taken away on /coordinator/access; admins and workers never read them."""

from __future__ import annotations

import base64
from datetime import date

from feedback_app.models import AuditEvent
from feedback_app.services.figures import periods
from feedback_app.services.staff import accounts, narrative_sessions
from tests.helpers import narratives
from tests.helpers.pages import check_page
from tests.helpers.responses import store
from tests.helpers.staff import PASSWORD, make_account, page_text, post_form, sign_in

WORDS = "Heron feathers at the police station"
TODAY = date.today()
QUEUE = f"/coordinator/coding?service=services.police&question=helpful&period={periods.quarter_of(TODAY).token}"
HTMX = {"HX-Request": "true"}
LOCKED = "Comments are locked for you"


def _comment():
    return store({"age": "age_25_34", "services": ["police"], "helpful.police": WORDS}, submitted_on=TODAY)


def _coordinator(client, email=None):
    account, secret = make_account("coordinator", email)
    assert sign_in(client, account.email, secret=secret).status_code == 302
    return account, secret


def test_a_coordinator_reads_comments_after_sign_in_and_not_after_sign_out(app):
    _comment()
    client = app.test_client()
    _coordinator(client)
    assert WORDS in client.get(QUEUE).get_data(as_text=True)
    cookie = client.get_cookie("s").value
    assert narrative_sessions.store().values()
    post_form(client, "/staff/sign-out", form_page="/staff/account")
    assert narrative_sessions.store().values() == []  # deleted at sign-out
    # The old cookie, replayed, opens nothing: its key's ciphertext is gone from the store.
    replay = app.test_client()
    replay.set_cookie("s", cookie)
    page = replay.get(QUEUE)
    assert WORDS not in page.get_data(as_text=True)


def test_the_store_alone_and_the_cookie_alone_hold_no_narrative_key(app):
    _comment()
    client = app.test_client()
    _coordinator(client)
    private = narratives.opener().private_bytes()
    stored = b"".join(narrative_sessions.store().values())
    assert stored and private not in stored and base64.b64encode(private) not in stored
    cookie = app.session_interface.get_signing_serializer(app).loads(client.get_cookie("s").value)
    held = cookie[narrative_sessions.COOKIE_FIELD]
    assert set(held) == {"id", "key", "account"}
    assert base64.b64encode(private).decode() not in str(cookie) and private.hex() not in str(cookie)


def test_idle_timeout_deletes_the_unlocked_key(app):
    _comment()
    client = app.test_client()
    _coordinator(client)
    with client.session_transaction() as session:
        session["staff_last_active"] = 0
    client.get(QUEUE)
    assert narrative_sessions.store().values() == []


def test_a_reset_password_means_no_words_until_access_is_given_again(app):
    _comment()
    admin, _ = make_account("admin")
    reset, reset_secret = make_account("coordinator", "reset@example.org")
    temporary = accounts.reset_password(reset, admin)
    client = app.test_client()
    sign_in(client, reset.email, temporary, secret=reset_secret)
    new = "my own long password again"
    post_form(client, "/staff/password", {"current": temporary, "new": new, "confirm": new})
    page = client.get(QUEUE)
    assert page.status_code == 403 and WORDS not in page.get_data(as_text=True)
    text = page_text(page)
    assert LOCKED in text and "Ask a coordinator who can read comments to give you access again" in text
    assert "Figures, charts and approved quotes work as usual" in text
    assert client.get("/coordinator/").status_code == 200  # figures still work
    # htmx asks for a part of the queue: it gets the explanation to swap in, not a bare 403.
    fragment = client.get(QUEUE, headers=HTMX)
    assert fragment.status_code == 200 and LOCKED in fragment.get_data(as_text=True)

    granter = app.test_client()
    _coordinator(granter)
    access = granter.get("/coordinator/access")
    assert "No access" in page_text(access)
    given = post_form(granter, "/coordinator/access/grant", {"account": str(reset.id)}, form_page="/coordinator/access")
    assert given.status_code == 302
    assert "unlocks at their next sign-in" in page_text(granter.get("/coordinator/access"))
    assert LOCKED in page_text(client.get(QUEUE))  # not in the session unlocked without it
    post_form(client, "/staff/sign-out", form_page="/staff/account")
    sign_in(client, reset.email, new, secret=reset_secret, code=None)
    from tests.helpers.staff import code_now

    post_form(client, "/staff/sign-in/code", {"code": code_now(reset_secret, 1)})
    assert WORDS in client.get(QUEUE).get_data(as_text=True)
    actions = [e.action for e in AuditEvent.query.order_by(AuditEvent.id)]
    assert "narrative_access_lost" in actions and "narrative_access_granted" in actions
    assert all(WORDS not in (e.detail or "") for e in AuditEvent.query)


def test_taking_access_away_ends_it_in_their_open_session(app):
    _comment()
    one, two = app.test_client(), app.test_client()
    _coordinator(one)
    other, _ = _coordinator(two)
    assert WORDS in two.get(QUEUE).get_data(as_text=True)
    taken = post_form(one, "/coordinator/access/revoke", {"account": str(other.id)}, form_page="/coordinator/access")
    assert taken.status_code == 302
    assert "can no longer read comments" in page_text(one.get("/coordinator/access"))
    assert LOCKED in page_text(two.get(QUEUE))
    assert AuditEvent.query.filter_by(action="narrative_access_revoked").count() == 1


def test_a_locked_coordinator_cannot_give_access(app):
    admin, _ = make_account("admin")
    locked, secret = make_account("coordinator")
    temporary = accounts.reset_password(locked, admin)
    client = app.test_client()
    sign_in(client, locked.email, temporary, secret=secret)
    post_form(client, "/staff/password", {"current": temporary, "new": "my own long password", "confirm": "my own long password"})
    assert client.get("/coordinator/access").status_code == 403


def test_admins_and_workers_never_read_comments(app):
    _comment()
    for role in ("admin", "worker"):
        account, secret = make_account(role)
        client = app.test_client()
        sign_in(client, account.email, secret=secret)
        for url in (QUEUE, "/coordinator/quotes", "/coordinator/access"):
            response = client.get(url)
            assert response.status_code == 403 and WORDS not in response.get_data(as_text=True)
        check_page(response)
    assert narrative_sessions.store().values() == []  # nothing was unlocked for them


def test_the_admin_is_told_a_reset_ends_the_coordinators_access_to_comments(app):
    admin, admin_secret = make_account("admin")
    coordinator, _ = make_account("coordinator")
    client = app.test_client()
    sign_in(client, admin.email, secret=admin_secret)
    page = post_form(
        client, f"/admin/accounts/{coordinator.id}/reset-password", form_page=f"/admin/accounts/{coordinator.id}"
    )
    assert page.status_code == 200
    assert "Their access to comments was tied to their old password, so it has ended" in page_text(page)


def test_with_the_session_store_down_a_coordinator_signs_in_to_figures_and_locked_words(app):
    """Redis unreachable (nothing listens on the port): sign-in still works, the figures
    show, and the comments say they are locked, never a 500."""
    _comment()
    app.extensions[narrative_sessions.EXTENSION_KEY] = narrative_sessions.RedisStore(
        "redis://127.0.0.1:9/0", "feedback-test-down:narrative:"
    )
    client = app.test_client()
    _coordinator(client)
    assert client.get("/coordinator/").status_code == 200
    page = client.get(QUEUE)
    assert page.status_code == 403  # the kind "locked" page, as for a coordinator without access
    text = page.get_data(as_text=True)
    assert LOCKED in text and WORDS not in text


def test_without_access_the_quotes_page_lists_only_the_approved_quotes(app):
    first = _comment()
    second = store({"services": ["police"], "helpful.police": "Second comment", "anything_else": "Thanks"}, submitted_on=TODAY)
    writer = app.test_client()
    _coordinator(writer)
    for response_id, wording, action in ((first, "The officer listened", "approve"), (second, "Still a draft", "save")):
        proposed = post_form(
            writer, "/coordinator/quotes/propose", {"response_id": str(response_id), "field": "helpful.police"},
            form_page=QUEUE,
        )
        assert post_form(writer, proposed.headers["Location"], {"text": wording, "action": action}).status_code == 302
    admin, _ = make_account("admin")
    reset, reset_secret = make_account("coordinator")
    temporary = accounts.reset_password(reset, admin)
    reader = app.test_client()
    sign_in(reader, reset.email, temporary, secret=reset_secret)
    new = "my own long password again"
    post_form(reader, "/staff/password", {"current": temporary, "new": new, "confirm": new})
    page = reader.get("/coordinator/quotes?status=proposed")  # asking for drafts changes nothing
    assert page.status_code == 200
    check_page(page)
    text = page_text(page)
    assert "The officer listened" in text and LOCKED in text
    assert "Still a draft" not in text and WORDS not in text
    assert "Review" not in text  # reviewing a quote shows the comment it came from
    assert "Still a draft" in page_text(writer.get("/coordinator/quotes"))  # with access: every quote
