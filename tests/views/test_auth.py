"""Signing in and out through the pages: generic failures, lockout, two-factor, first sign-in,
idle timeout, session cookie, CSRF and the rate limit."""

import time

import pytest

from feedback_app.extensions import db
from feedback_app.services.staff import accounts, audit, pins
from tests.conftest import empty_tables, make_app
from tests.helpers.pages import check_page
from tests.helpers.staff import PASSWORD, code_now, csrf_from, make_account, page_text, post_form, sign_in


def follow(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"])


def test_sign_in_page(client):
    response = client.get("/staff/sign-in")
    page = check_page(response)
    assert page.find("input", attrs={"name": "email", "autocomplete": "username"})
    assert page.find("input", attrs={"name": "password", "type": "password"})
    assert "Sign in" in page.find("h1").get_text()


def test_worker_signs_in_and_out(app, client):
    make_account("worker", "w@example.org")
    response = sign_in(client, "w@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/worker/"
    assert client.get("/staff/account").status_code == 200
    assert client.get("/staff/sign-out").status_code == 405  # signing out is a POST
    response = post_form(client, "/staff/sign-out", form_page="/staff/account")
    assert response.headers["Location"] == "/staff/sign-in"
    assert "You are signed out." in page_text(client.get("/staff/sign-in"))
    assert client.get("/staff/account").status_code == 302
    assert [e.action for e in audit.events_for()][-2:] == ["sign_in", "sign_out"]


def _failed_sign_in(client, email, password):
    response = post_form(client, "/staff/sign-in", {"email": email, "password": password})
    return response.status_code, page_text(response)


def test_unknown_email_looks_exactly_like_a_wrong_password(app, client):
    make_account("worker", "w@example.org")
    wrong_password = _failed_sign_in(client, "w@example.org", "not the password")
    unknown_email = _failed_sign_in(client, "nobody@example.org", "not the password")
    assert wrong_password[0] == unknown_email[0] == 200
    assert wrong_password[1].replace("w@example.org", "") == unknown_email[1].replace("nobody@example.org", "")
    assert "Sign-in did not work" in unknown_email[1]


def test_lockout_after_five_failures_shows_the_same_message(app, client):
    account, _ = make_account("worker", "w@example.org")
    generic = _failed_sign_in(client, "w@example.org", "wrong 1")
    for n in range(2, 6):
        _failed_sign_in(client, "w@example.org", f"wrong {n}")
    assert account.is_locked()
    locked = _failed_sign_in(client, "w@example.org", PASSWORD)  # the right password, while locked
    assert locked == generic
    assert client.get("/staff/account").status_code == 302
    assert "account_locked" in [e.action for e in audit.events_for()]


def test_deactivated_account_gets_the_same_message(app, client):
    admin, _ = make_account("admin")
    account, _ = make_account("worker", "w@example.org")
    generic = _failed_sign_in(client, "w@example.org", "wrong")
    accounts.deactivate(account, admin)
    assert _failed_sign_in(client, "w@example.org", PASSWORD) == generic


def test_signing_in_starts_a_new_session(app, client):
    make_account("worker", "w@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client, "w@example.org")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_id" in session and session["_id"] == ""  # no hash of address or user agent


def test_session_cookie_is_session_only_httponly_strict(app, client):
    make_account("worker", "w@example.org")
    response = sign_in(client, "w@example.org")
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("s="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie


# -- two-factor -----------------------------------------------------------------------------------
def test_admin_signs_in_with_a_code(app, client):
    _, secret = make_account("admin", "a@example.org")
    response = post_form(client, "/staff/sign-in", {"email": "a@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/staff/sign-in/code"
    assert client.get("/admin/").status_code == 302, "not signed in before the code"
    check_page(client.get("/staff/sign-in/code"))
    response = post_form(client, "/staff/sign-in/code", {"code": code_now(secret)})
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_code_is_rejected(app, client):
    make_account("coordinator", "c@example.org")
    post_form(client, "/staff/sign-in", {"email": "c@example.org", "password": PASSWORD})
    response = post_form(client, "/staff/sign-in/code", {"code": "12345x"})
    assert response.status_code == 200
    assert "That code did not work" in page_text(response)
    assert client.get("/coordinator/").status_code == 302


def test_a_replayed_code_is_rejected(app, client):
    _, secret = make_account("coordinator", "c@example.org")
    code = code_now(secret)
    assert sign_in(client, "c@example.org", code=code).headers["Location"] == "/coordinator/"
    post_form(client, "/staff/sign-out", form_page="/coordinator/")
    other = app.test_client()
    response = sign_in(other, "c@example.org", code=code)
    assert response.status_code == 200 and "That code did not work" in page_text(response)
    assert other.get("/coordinator/").status_code == 302


def test_a_recovery_code_works_once(app, client):
    account, _ = make_account("coordinator", "c@example.org", two_factor_on=False)
    from feedback_app.services.staff import two_factor

    enrolment = two_factor.start_enrolment(account)
    codes = two_factor.confirm_enrolment(account, code_now(enrolment.secret))
    assert sign_in(client, "c@example.org", code=codes[0]).headers["Location"] == "/coordinator/"
    other = app.test_client()
    response = sign_in(other, "c@example.org", code=codes[0])
    assert response.status_code == 200 and "That code did not work" in page_text(response)


def test_a_totp_secret_that_does_not_open_is_a_kind_page_not_an_error(app, client):
    account, secret = make_account("coordinator", "c@example.org")
    account.totp_secret = account.totp_secret[:-1] + bytes([account.totp_secret[-1] ^ 1])
    db.session.commit()
    response = sign_in(client, "c@example.org", secret=secret)
    assert response.status_code == 200 and "That code did not work" in page_text(response)
    assert client.get("/coordinator/").status_code == 302


def test_the_code_step_needs_a_password_first(client):
    response = client.get("/staff/sign-in/code")
    assert response.headers["Location"] == "/staff/sign-in"


def test_the_code_step_expires(app, client):
    make_account("admin", "a@example.org")
    post_form(client, "/staff/sign-in", {"email": "a@example.org", "password": PASSWORD})
    with client.session_transaction() as session:
        session["staff_pending"]["since"] -= 6 * 60
        session.modified = True
    assert client.get("/staff/sign-in/code").headers["Location"] == "/staff/sign-in"


@pytest.mark.parametrize("role, home", [("admin", "/admin/"), ("coordinator", "/coordinator/")])
def test_two_factor_is_required_before_any_role_page(app, client, role, home):
    make_account(role, "x@example.org", two_factor_on=False)
    response = sign_in(client, "x@example.org")
    assert response.headers["Location"] == "/staff/two-factor/setup"
    for url in (home, "/staff/account"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/staff/two-factor/setup", url
    page = check_page(client.get("/staff/two-factor/setup"))
    assert "needs two-factor authentication" in page.get_text()
    boxes = [box.get_text(strip=True) for box in page.select(".secret-box")]
    secret = boxes[0].replace(" ", "")
    assert boxes[1].startswith("otpauth://totp/") and f"secret={secret}" in boxes[1]
    assert not page.find("img"), "no QR image from anywhere"
    # The QR code is drawn on the server, inline, and encodes exactly the setup link shown.
    svg = page.select_one("figure.qr-figure svg.qr-code")
    assert svg is not None and svg["role"] == "img" and svg["aria-label"]
    modules = svg.find_all("path")[-1]["d"]  # after the white background
    assert modules == _qr_path(boxes[1])
    assert modules != _qr_path(boxes[1].replace(secret, secret[::-1]))
    response = post_form(client, "/staff/two-factor/setup", {"code": code_now(secret)})
    codes = check_page(response).select(".recovery-codes li")
    assert len(codes) == 10
    assert client.get(home).status_code == 200
    # Shown once: the setup page now says two-factor is already on.
    assert client.get("/staff/two-factor/setup").headers["Location"] == "/staff/account"


def test_workers_may_turn_on_two_factor(app, client):
    account, _ = make_account("worker", "w@example.org")
    sign_in(client, "w@example.org")
    page = check_page(client.get("/staff/account"))
    assert page.find("a", href="/staff/two-factor/setup")
    page = check_page(client.get("/staff/two-factor/setup"))
    secret = page.select(".secret-box")[0].get_text(strip=True).replace(" ", "")
    bad = post_form(client, "/staff/two-factor/setup", {"code": "000000" if code_now(secret) != "000000" else "111111"})
    assert "That code did not work" in page_text(bad)
    post_form(client, "/staff/two-factor/setup", {"code": code_now(secret)})
    assert account.totp_enabled
    post_form(client, "/staff/sign-out", form_page="/staff/account")
    assert sign_in(client, "w@example.org").headers["Location"] == "/staff/sign-in/code"


# -- first sign-in: a temporary password ----------------------------------------------------------
def test_temporary_password_must_be_changed_first(app, client):
    account, temporary = accounts.create_account("w@example.org", "W", "worker", "Refuge", by="test")
    response = sign_in(client, "w@example.org", temporary)
    assert response.headers["Location"] == "/staff/password"
    assert client.get("/staff/account").headers["Location"] == "/staff/password"
    page = check_page(client.get("/staff/password"))
    assert "temporary password" in page.get_text()
    mismatch = post_form(client, "/staff/password", {"current": temporary, "new": "a brand new password", "confirm": "something else"})
    assert "not the same" in page_text(mismatch)
    response = post_form(client, "/staff/password", {"current": temporary, "new": "a brand new password", "confirm": "a brand new password"})
    assert response.headers["Location"] == "/worker/"
    assert not account.must_change_password
    assert client.get("/staff/account").status_code == 200, "this session carries on"


def test_changing_password_ends_other_sessions(app, client):
    make_account("worker", "w@example.org")
    sign_in(client, "w@example.org")
    other = app.test_client()
    sign_in(other, "w@example.org")
    post_form(client, "/staff/password", {"current": PASSWORD, "new": "a brand new password", "confirm": "a brand new password"})
    assert client.get("/staff/account").status_code == 200
    assert other.get("/staff/account").status_code == 302


# -- idle timeout -----------------------------------------------------------------------------------
def _idle_for(client, minutes):
    with client.session_transaction() as session:
        session["staff_last_active"] = int(time.time() - minutes * 60)


def test_idle_session_is_signed_out_with_an_explanation(app, client):
    make_account("worker", "w@example.org")
    sign_in(client, "w@example.org")
    _idle_for(client, 29)
    assert client.get("/staff/account").status_code == 200
    _idle_for(client, 31)
    response = client.get("/staff/account")
    assert response.headers["Location"] == "/staff/sign-in"
    page = check_page(client.get("/staff/sign-in"))
    assert "signed out because nothing happened for 30 minutes" in page.get_text()
    assert client.get("/staff/account").status_code == 302
    assert audit.events_for()[-1].action == "session_timed_out"


def test_idle_session_on_a_public_page_carries_on_signed_out(app, client):
    make_account("worker", "w@example.org")
    sign_in(client, "w@example.org")
    _idle_for(client, 31)
    assert client.get("/").status_code == 200
    assert client.get("/staff/account").status_code == 302


def test_admins_time_out_sooner(app, client):
    _, secret = make_account("admin", "a@example.org")
    sign_in(client, "a@example.org", secret=secret)
    _idle_for(client, 16)
    assert client.get("/admin/").headers["Location"] == "/staff/sign-in"


def test_coordinators_keep_the_longer_timeout(app, client):
    _, secret = make_account("coordinator", "c@example.org")
    sign_in(client, "c@example.org", secret=secret)
    _idle_for(client, 16)
    assert client.get("/coordinator/").status_code == 200


def test_idle_timeout_is_configurable(test_database):
    app = make_app(test_database, STAFF_IDLE_TIMEOUT_MINUTES=5)
    with app.app_context():
        try:
            make_account("worker", "w@example.org")
            client = app.test_client()
            sign_in(client, "w@example.org")
            _idle_for(client, 6)
            assert client.get("/staff/account").status_code == 302
        finally:
            db.session.remove()
            empty_tables()
            db.engine.dispose()


# -- the worker's PIN ---------------------------------------------------------------------------------
def test_five_wrong_pins_end_the_worker_session(app, client):
    account, _ = make_account("worker", "w@example.org", pin="2468")
    sign_in(client, "w@example.org")
    for _ in range(4):
        assert pins.check_pin(account, "1111") is pins.PIN_WRONG
    assert account.pin_failures == 4
    assert client.get("/staff/account").status_code == 200
    assert pins.check_pin(account, "1111") is pins.PIN_LOCKED
    response = client.get("/staff/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")


# -- CSRF and rate limit ------------------------------------------------------------------------------
def test_sign_in_without_csrf_token_is_a_kind_400(app, client):
    make_account("worker", "w@example.org")
    before = len(audit.events_for())
    response = client.post("/staff/sign-in", data={"email": "w@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Something went wrong" in check_page(response).get_text()
    assert len(audit.events_for()) == before
    assert client.get("/staff/account").status_code == 302


def test_a_token_from_another_session_is_refused(app, client):
    make_account("worker", "w@example.org")
    token = csrf_from(app.test_client(), "/staff/sign-in")
    csrf_from(client, "/staff/sign-in")
    response = client.post("/staff/sign-in", data={"csrf_token": token, "email": "w@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_sign_in_posts_are_rate_limited(test_database):
    app = make_app(test_database, RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="3 per minute")
    with app.app_context():
        try:
            client = app.test_client()
            statuses = [
                post_form(client, "/staff/sign-in", {"email": "x@example.org", "password": "nope"}).status_code
                for _ in range(4)
            ]
            assert statuses == [200, 200, 200, 429]
            assert client.get("/staff/sign-in").status_code == 200, "only POSTs are limited"
        finally:
            db.session.remove()
            empty_tables()
            db.engine.dispose()


def _qr_path(data: str) -> str:
    """The drawing of ``data`` as a QR code, made independently with segno."""
    import segno
    from bs4 import BeautifulSoup

    svg = segno.make(data, error="m").svg_inline(scale=4, border=4)
    return BeautifulSoup(svg, "html.parser").find("path")["d"]
