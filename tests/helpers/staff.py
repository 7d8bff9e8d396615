"""Staff accounts for tests, and signing in through the pages the way a browser would."""

from __future__ import annotations

import time

from bs4 import BeautifulSoup

from feedback_app.services.staff import accounts, pins, two_factor
from tests.helpers import narratives

PASSWORD = "correct horse battery staple"


def make_account(
    role: str = "worker",
    email: str | None = None,
    *,
    password: str = PASSWORD,
    two_factor_on: bool | None = None,
    pin: str | None = None,
    organisation: str = "Test Refuge",
):
    """An active account that has chosen its password. Admins and coordinators get
    two-factor unless ``two_factor_on=False``; coordinators get access to comments when the
    app has a narrative key (``tests.helpers.narratives``). Returns (account, TOTP secret or None)."""
    email = email or f"{role}-{time.monotonic_ns()}@example.org"
    account, _ = accounts.create_account(
        email, f"Test {role.title()}", role, organisation, by="test", password=password
    )
    narratives.give_access(account, password)  # coordinators read comments after sign-in
    secret = None
    if two_factor_on if two_factor_on is not None else role in ("admin", "coordinator"):
        secret = enrol(account)
    if pin:
        pins.set_pin(account, pin)
    return account, secret


def enrol(account) -> str:
    """Turn two-factor on with the previous step's code, leaving the current code unused."""
    earlier = time.time() - two_factor.STEP_SECONDS
    secret = two_factor.start_enrolment(account).secret
    assert two_factor.confirm_enrolment(account, two_factor.current_code(secret, earlier), now=earlier)
    return secret


def code_now(secret: str, later_steps: int = 0) -> str:
    return two_factor.current_code(secret, time.time() + later_steps * two_factor.STEP_SECONDS)


def csrf_from(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return page.find("input", attrs={"name": "csrf_token"})["value"]


def post_form(client, url: str, data: dict | None = None, *, form_page: str | None = None, **kwargs):
    """POST ``data`` with a CSRF token read from ``form_page`` (default: ``url``)."""
    token = csrf_from(client, form_page or url)
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def sign_in(client, email: str, password: str = PASSWORD, secret: str | None = None, code: str | None = None):
    """Sign in through the pages; returns the last response (not following redirects)."""
    response = post_form(client, "/staff/sign-in", {"email": email, "password": password})
    if response.status_code == 302 and response.headers["Location"].endswith("/staff/sign-in/code"):
        if code is None and secret is not None:
            code = code_now(secret)
        if code is None:
            return response
        response = post_form(client, "/staff/sign-in/code", {"code": code})
    return response


def page_text(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)


def signed_in(client, role: str = "coordinator"):
    """``client`` signed in as a new account of ``role`` (with a two-factor code where needed)."""
    account, secret = make_account(role)
    response = sign_in(client, account.email, secret=secret)
    assert response.status_code == 302, response.status_code
    return client


def sign_in_page(page, base_url: str, email: str, secret: str, lands_on: str = "/coordinator/") -> None:
    """Sign in through the staff pages in a browser ``page``, with a fresh two-factor code."""
    page.goto(base_url + "/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(code_now(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + lands_on)
