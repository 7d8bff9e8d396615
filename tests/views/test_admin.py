"""Admins manage accounts through the pages; every change is audited, with nothing about
devices or survivors in the log."""

import re

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Account, AuditEvent
from feedback_app.services.staff import accounts, audit
from tests.helpers.pages import check_page
from tests.helpers.staff import PASSWORD, code_now, make_account, page_text, post_form, sign_in

ADDRESS = "203.0.113.77"
AGENT = "DistinctiveAgent/9.9"
TEMPORARY = re.compile(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b")


@pytest.fixture
def admin_client(app):
    admin, secret = make_account("admin", "admin@example.org")
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT})
    assert sign_in(client, "admin@example.org", secret=secret).headers["Location"] == "/admin/"
    client.admin = admin
    return client


def create_through_pages(client, role, email, name="Someone", organisation="Refuge South"):
    response = post_form(
        client,
        "/admin/accounts/new",
        {"role": role, "display_name": name, "email": email, "organisation": organisation},
    )
    assert response.status_code == 200
    page = check_page(response)
    temporary = page.select_one(".secret-box").get_text(strip=True)
    assert TEMPORARY.fullmatch(temporary)
    return accounts.account_by_email(email), temporary


def account_action(client, account, action):
    return post_form(client, f"/admin/accounts/{account.id}/{action}", form_page=f"/admin/accounts/{account.id}")


def test_accounts_list(admin_client):
    make_account("worker", "w@example.org", organisation="Refuge East")
    page = check_page(admin_client.get("/admin/"))
    text = page.get_text(" ")
    for expected in ("w@example.org", "Refuge East", "Support worker", "Active", "Off", "admin@example.org", "On"):
        assert expected in text


def test_admin_creates_a_coordinator_and_a_worker(app, admin_client):
    check_page(admin_client.get("/admin/accounts/new"))
    coordinator, temporary = create_through_pages(admin_client, "coordinator", "Coord@Example.org")
    worker, _ = create_through_pages(admin_client, "worker", "worker@example.org")
    assert coordinator.role == "coordinator" and coordinator.email == "coord@example.org"
    assert worker.role == "worker" and worker.must_change_password
    # The temporary password is shown once: it is nowhere in the list or the account page.
    for url in ("/admin/", f"/admin/accounts/{coordinator.id}"):
        assert temporary not in admin_client.get(url).get_data(as_text=True)
    created = audit.events_for("account_created")
    assert [e.target for e in created][-2:] == ["coord@example.org", "worker@example.org"]
    assert all(e.actor == "admin@example.org" for e in created[-2:])
    # The new coordinator signs in with it, changes it, then must set up two-factor.
    client = app.test_client()
    assert sign_in(client, "coord@example.org", temporary).headers["Location"] == "/staff/password"


def test_duplicate_email_is_explained(admin_client):
    make_account("worker", "w@example.org")
    response = post_form(
        admin_client, "/admin/accounts/new",
        {"role": "worker", "display_name": "Again", "email": "W@example.org", "organisation": "Refuge"},
    )
    assert response.status_code == 200
    assert "already an account" in page_text(response)


def test_deactivated_account_is_signed_out_and_cannot_sign_in(app, admin_client):
    worker, _ = make_account("worker", "w@example.org")
    worker_client = app.test_client()
    sign_in(worker_client, "w@example.org")
    assert worker_client.get("/staff/account").status_code == 200
    response = account_action(admin_client, worker, "deactivate")
    assert response.headers["Location"] == f"/admin/accounts/{worker.id}"
    assert "deactivated" in page_text(admin_client.get(response.headers["Location"]))
    assert worker_client.get("/staff/account").status_code == 302
    response = sign_in(app.test_client(), "w@example.org")
    assert response.status_code == 200 and "Sign-in did not work" in page_text(response)
    account_action(admin_client, worker, "reactivate")
    assert sign_in(app.test_client(), "w@example.org").status_code == 302
    about_worker = [e.action for e in audit.events_for() if e.target == "w@example.org"]
    assert about_worker[-3:] == ["account_deactivated", "sign_in_failed", "account_reactivated"]


def test_reset_password_shows_a_new_one_once_and_ends_old_sessions(app, admin_client):
    worker, _ = make_account("worker", "w@example.org")
    worker_client = app.test_client()
    sign_in(worker_client, "w@example.org")
    response = account_action(admin_client, worker, "reset-password")
    temporary = check_page(response).select_one(".secret-box").get_text(strip=True)
    assert TEMPORARY.fullmatch(temporary)
    assert worker_client.get("/staff/account").status_code == 302, "the old session is dead"
    assert sign_in(app.test_client(), "w@example.org", PASSWORD).status_code == 200, "old password fails"
    assert sign_in(app.test_client(), "w@example.org", temporary).headers["Location"] == "/staff/password"
    assert audit.events_for("password_reset")[-1].target == "w@example.org"


def test_reset_two_factor(app, admin_client):
    coordinator, secret = make_account("coordinator", "c@example.org")
    coordinator_client = app.test_client()
    sign_in(coordinator_client, "c@example.org", secret=secret)
    response = account_action(admin_client, coordinator, "reset-two-factor")
    assert response.status_code == 302
    assert not coordinator.totp_enabled
    assert coordinator_client.get("/coordinator/").status_code == 302
    again = app.test_client()
    assert sign_in(again, "c@example.org").headers["Location"] == "/staff/two-factor/setup"
    assert audit.events_for("two_factor_reset")[-1].target == "c@example.org"


def test_admin_cannot_deactivate_themself(admin_client):
    response = post_form(
        admin_client, f"/admin/accounts/{admin_client.admin.id}/deactivate", form_page="/admin/"
    )
    assert response.status_code == 302
    assert "cannot do this to your own account" in page_text(admin_client.get(response.headers["Location"]))
    assert admin_client.admin.is_active


def test_unknown_account_is_404(admin_client):
    response = admin_client.get("/admin/accounts/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


def test_csrf_missing_changes_nothing(admin_client):
    worker, _ = make_account("worker", "w@example.org")
    before = len(audit.events_for())
    response = admin_client.post(f"/admin/accounts/{worker.id}/deactivate")
    assert response.status_code == 400
    assert "Something went wrong" in check_page(response).get_text()
    response = admin_client.post(
        "/admin/accounts/new", data={"role": "admin", "display_name": "X", "email": "x@example.org", "organisation": "Y"}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert worker.is_active and accounts.account_by_email("x@example.org") is None
    assert len(audit.events_for()) == before


def test_audit_page_lists_and_filters(admin_client):
    worker, _ = make_account("worker", "w@example.org")
    account_action(admin_client, worker, "deactivate")
    page = check_page(admin_client.get("/admin/audit"))
    rows = page.select("table.data tbody tr")
    assert "Account deactivated" in rows[0].get_text(), "newest first"
    filtered = check_page(admin_client.get("/admin/audit?action=account_deactivated"))
    assert len(filtered.select("table.data tbody tr")) == 1
    by_account = check_page(admin_client.get(f"/admin/audit?account={worker.id}")).select("table.data tbody")[0]
    assert "Account created" in by_account.get_text() and "Signed in" not in by_account.get_text()
    future = check_page(admin_client.get("/admin/audit?date_from=2999-01-01"))
    assert "No events match." in future.get_text()
    nonsense = admin_client.get("/admin/audit?date_from=yesterday&account=nobody&action=drop&page=x")
    assert nonsense.status_code == 200


def test_audit_page_paginates(admin_client):
    for n in range(55):
        audit.record("export_created", admin_client.admin, detail=f"export {n}")
    first = check_page(admin_client.get("/admin/audit?action=export_created"))
    assert len(first.select("table.data tbody tr")) == 50
    older = first.find("a", rel="next")["href"]
    assert "action=export_created" in older and "page=2" in older
    second = check_page(admin_client.get(older))
    assert len(second.select("table.data tbody tr")) == 5
    assert second.find("a", rel="prev")


def test_audit_log_holds_no_address_agent_or_survivor_content(app, admin_client):
    coordinator, _ = create_through_pages(admin_client, "coordinator", "c@example.org")
    worker, _ = create_through_pages(admin_client, "worker", "w@example.org")
    for action in ("deactivate", "reactivate", "reset-password"):
        account_action(admin_client, worker, action)
    make_account("coordinator", "c2@example.org")
    account_action(admin_client, accounts.account_by_email("c2@example.org"), "reset-two-factor")
    sign_in(app.test_client(), "nobody-typed-this@example.org", "a survivor's words")
    events = db.session.scalars(select(AuditEvent)).all()
    actions = {e.action for e in events}
    assert {
        "account_created", "account_deactivated", "account_reactivated",
        "password_reset", "two_factor_reset", "sign_in", "sign_in_failed",
    } <= actions
    stored = " ".join(str(getattr(e, c.name)) for e in events for c in AuditEvent.__table__.columns)
    stored += " ".join(str(getattr(a, c.name)) for a in db.session.scalars(select(Account)) for c in Account.__table__.columns)
    for leak in (ADDRESS, AGENT, "nobody-typed-this", "survivor"):
        assert leak not in stored


def test_temporary_password_never_lands_in_the_database(admin_client):
    _, temporary = create_through_pages(admin_client, "worker", "w@example.org")
    stored = " ".join(
        str(getattr(a, c.name)) for a in db.session.scalars(select(Account)) for c in Account.__table__.columns
    )
    stored += " ".join(str(e.detail) for e in audit.events_for())
    assert temporary not in stored


def test_new_coordinator_full_first_sign_in(app, admin_client):
    _, temporary = create_through_pages(admin_client, "coordinator", "c@example.org")
    client = app.test_client()
    sign_in(client, "c@example.org", temporary)
    post_form(client, "/staff/password", {"current": temporary, "new": "my own long password", "confirm": "my own long password"})
    assert client.get("/coordinator/").headers["Location"] == "/staff/two-factor/setup"
    setup = check_page(client.get("/staff/two-factor/setup"))
    secret = setup.select_one(".secret-box").get_text(strip=True).replace(" ", "")
    post_form(client, "/staff/two-factor/setup", {"code": code_now(secret)})
    assert client.get("/coordinator/").status_code == 200
