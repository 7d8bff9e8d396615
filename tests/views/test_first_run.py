"""First run of a real deployment: ``flask setup`` makes the first admin with a one-time
password; at first sign-in they must choose their own and set up two-factor before any
admin page opens; it is refused once any account exists."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Account
from tests.helpers.staff import post_form, sign_in


def test_setup_makes_the_first_admin_who_must_change_password_and_enrol(app, client):
    result = app.test_cli_runner().invoke(
        args=["setup", "--email", "Lead@Partnership.example", "--name", "Alex Lead", "--organisation", "The Partnership"]
    )
    assert result.exit_code == 0, result.output
    one_time = re.search(r"One-time password \(shown only now[^)]*\): (\S+)", result.output).group(1)
    [admin] = db.session.scalars(select(Account)).all()
    assert (admin.email, admin.role, admin.must_change_password, admin.totp_enabled) == (
        "lead@partnership.example", "admin", True, False,
    )
    assert one_time not in (admin.password_hash or "")

    response = sign_in(client, "lead@partnership.example", one_time)
    assert response.headers["Location"] == "/staff/password"
    assert client.get("/admin/").headers["Location"] == "/staff/password"  # nothing else opens
    new_password = "a long new password of my own"
    response = post_form(
        client, "/staff/password", {"current": one_time, "new": new_password, "confirm": new_password}
    )
    assert response.status_code == 302
    assert client.get("/admin/").headers["Location"] == "/staff/two-factor/setup"


def test_setup_is_refused_once_any_account_exists(app):
    runner = app.test_cli_runner()
    args = ["setup", "--email", "a@example.org", "--name", "A", "--organisation", "P"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=["setup", "--email", "b@example.org", "--name", "B", "--organisation", "P"])
    assert again.exit_code != 0 and "set up" in again.output
    assert len(db.session.scalars(select(Account)).all()) == 1


def test_setup_makes_the_narrative_key_and_prints_its_recovery_key_once(test_database):
    from tests.conftest import running_app

    with running_app(test_database, narratives=False) as app:
        result = app.test_cli_runner().invoke(args=["setup", "--email", "a@example.org", "--name", "A", "--organisation", "P"])
        assert result.exit_code == 0, result.output
        [recovery] = [line.strip() for line in result.output.splitlines() if line.strip().startswith("FBREC1-")]
        from feedback_app.services.staff import narrative_access

        assert narrative_access.has_keys() and narrative_access.openers_from_recovery(recovery)
        assert "flask narratives recover --email" in result.output
