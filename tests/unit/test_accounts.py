"""Accounts: hashing, signing in, lockout, two-factor, recovery codes, PINs and admin changes."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback_app.crypto import OpenFailed
from feedback_app.extensions import db
from feedback_app.models import UNKNOWN_ACTOR, Account, AuditEvent
from feedback_app.models.account import totp_place, utcnow
from feedback_app.services.demo import accounts as demo_accounts
from feedback_app.services.responses import key_rotation
from feedback_app.services.responses.keyring import current_keyring, replace_keyring
from feedback_app.services.staff import accounts, audit, pins, two_factor
from feedback_app.services.staff.accounts import SignIn
from feedback_app.services.staff.errors import AccountError
from tests.helpers.staff import PASSWORD, code_now, make_account


def actions():
    return [event.action for event in audit.events_for()]


# -- creating accounts and hashing ------------------------------------------------------------
def test_passwords_and_pins_are_argon2id(app):
    account, _ = make_account("worker", pin="2468")
    assert account.password_hash.startswith("$argon2id$")
    assert account.pin_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash


def test_production_profile_is_argon2id_with_rfc_9106_parameters(app):
    app.config["PASSWORD_HASH_PROFILE"] = "RFC_9106_LOW_MEMORY"
    from feedback_app.services.staff.passwords import hash_secret

    hashed = hash_secret("a long enough password")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_email_is_lower_cased_and_unique(app):
    account, temporary = accounts.create_account(
        "  Someone@Example.ORG ", "Someone", "coordinator", "Refuge", by="test"
    )
    assert account.email == "someone@example.org"
    assert account.must_change_password and temporary
    with pytest.raises(AccountError):
        accounts.create_account("SOMEONE@example.org", "Other", "worker", "Refuge", by="test")


def test_unknown_role_is_refused(app):
    with pytest.raises(AccountError):
        accounts.create_account("x@example.org", "X", "superuser", "Refuge", by="test")


def test_role_check_constraint_holds_in_the_database(app):
    account, _ = make_account("worker")
    account.role = "superuser"
    with pytest.raises(Exception):
        db.session.commit()
    db.session.rollback()


def test_temporary_password_signs_in_and_must_be_changed(app):
    account, temporary = accounts.create_account("new@example.org", "New", "worker", "Refuge", by="test")
    result = accounts.authenticate("new@example.org", temporary)
    assert result.outcome is SignIn.SIGNED_IN
    assert result.account.must_change_password
    accounts.change_password(account, temporary, "a brand new password")
    assert not account.must_change_password
    assert accounts.authenticate("new@example.org", "a brand new password").outcome is SignIn.SIGNED_IN


def test_short_or_unchanged_passwords_are_refused(app):
    account, _ = make_account("worker")
    with pytest.raises(AccountError):
        accounts.change_password(account, PASSWORD, "short")
    with pytest.raises(AccountError):
        accounts.change_password(account, PASSWORD, PASSWORD)
    with pytest.raises(AccountError):
        accounts.change_password(account, "not the password", "a brand new password")


# -- signing in -------------------------------------------------------------------------------
def test_right_password_signs_in(app):
    account, _ = make_account("worker", "w@example.org")
    result = accounts.authenticate("W@example.org", PASSWORD)
    assert result.outcome is SignIn.SIGNED_IN and result.account is account
    assert actions()[-1] == "sign_in"


def test_wrong_password_fails_and_counts(app):
    account, _ = make_account("worker", "w@example.org")
    assert accounts.authenticate("w@example.org", "wrong password") is accounts.FAILED
    assert account.failed_logins == 1
    event = audit.events_for("sign_in_failed")[-1]
    assert event.account_id == account.id and event.detail == "wrong password"


def test_unknown_email_fails_without_keeping_the_email(app):
    assert accounts.authenticate("nobody-here@example.org", PASSWORD) is accounts.FAILED
    event = audit.events_for("sign_in_failed")[-1]
    assert event.actor == UNKNOWN_ACTOR and event.account_id is None
    assert "nobody-here" not in " ".join(str(v) for v in (event.actor, event.target, event.detail))


def test_unknown_email_spends_time_on_a_hash(app, monkeypatch):
    from feedback_app.services.staff import passwords

    calls = []
    original = passwords.PasswordHasher.verify
    monkeypatch.setattr(passwords.PasswordHasher, "verify", lambda self, h, p: calls.append(1) or original(self, h, p))
    accounts.authenticate("nobody@example.org", "whatever")
    assert calls, "an unknown email must still verify against a hash"


def test_lockout_after_five_failures(app):
    account, _ = make_account("worker", "w@example.org")
    for _ in range(5):
        assert accounts.authenticate("w@example.org", "wrong password") is accounts.FAILED
    assert account.is_locked()
    assert accounts.authenticate("w@example.org", PASSWORD) is accounts.FAILED
    assert actions().count("account_locked") == 1
    # Fifteen minutes later it opens again.
    account.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert accounts.authenticate("w@example.org", PASSWORD).outcome is SignIn.SIGNED_IN
    assert account.failed_logins == 0


def test_deactivated_account_cannot_sign_in(app):
    admin, _ = make_account("admin")
    account, _ = make_account("worker", "w@example.org")
    accounts.deactivate(account, admin)
    assert accounts.authenticate("w@example.org", PASSWORD) is accounts.FAILED
    accounts.reactivate(account, admin)
    assert accounts.authenticate("w@example.org", PASSWORD).outcome is SignIn.SIGNED_IN


def test_sessions_die_with_a_new_nonce(app):
    admin, _ = make_account("admin")
    account, _ = make_account("worker")
    old_id = account.get_id()
    assert accounts.load_signed_in(old_id) is account
    accounts.reset_password(account, admin)
    assert accounts.load_signed_in(old_id) is None
    assert accounts.load_signed_in(account.get_id()) is account
    accounts.deactivate(account, admin)
    assert accounts.load_signed_in(account.get_id()) is None
    assert accounts.load_signed_in("not-an-id") is None


# -- two-factor ---------------------------------------------------------------------------------
def test_two_factor_needs_a_code_after_the_password(app):
    account, secret = make_account("admin", "a@example.org")
    result = accounts.authenticate("a@example.org", PASSWORD)
    assert result.outcome is SignIn.NEEDS_CODE
    assert accounts.complete_sign_in(account.id, code_now(secret)).outcome is SignIn.SIGNED_IN


def test_wrong_code_is_rejected_and_counted(app):
    account, secret = make_account("admin")
    right = code_now(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert accounts.complete_sign_in(account.id, wrong) is accounts.FAILED
    assert account.failed_logins == 1
    assert actions()[-1] == "two_factor_failed"


def test_the_same_code_cannot_be_used_twice(app):
    account, secret = make_account("admin")
    code = code_now(secret)
    assert accounts.complete_sign_in(account.id, code).outcome is SignIn.SIGNED_IN
    assert accounts.complete_sign_in(account.id, code) is accounts.FAILED


def test_an_older_step_after_a_newer_one_is_rejected(app):
    account, secret = make_account("admin")
    assert accounts.complete_sign_in(account.id, code_now(secret, later_steps=1)).outcome is SignIn.SIGNED_IN
    assert accounts.complete_sign_in(account.id, code_now(secret)) is accounts.FAILED


def test_codes_outside_the_window_are_rejected(app):
    account, secret = make_account("admin")
    assert accounts.complete_sign_in(account.id, code_now(secret, later_steps=3)) is accounts.FAILED


def test_five_wrong_codes_lock_the_account(app):
    account, secret = make_account("admin")
    for _ in range(5):
        accounts.complete_sign_in(account.id, "000000" if code_now(secret) != "000000" else "111111")
    assert account.is_locked()
    assert accounts.complete_sign_in(account.id, code_now(secret)) is accounts.FAILED


def test_totp_secret_is_sealed_and_bound_to_its_account(app):
    account, secret = make_account("admin")
    other, _ = make_account("coordinator")
    assert secret.encode() not in account.totp_secret
    assert account.totp_key_id == current_keyring().primary
    assert current_keyring().open(account.totp_secret, totp_place(account.id)) == secret.encode()
    with pytest.raises(OpenFailed):
        current_keyring().open(account.totp_secret, totp_place(other.id))


def _damage_totp_secret(account) -> None:
    blob = account.totp_secret
    account.totp_secret = blob[:-1] + bytes([blob[-1] ^ 1])
    db.session.commit()


def test_a_totp_secret_that_does_not_open_refuses_codes_but_not_recovery_codes(app, caplog):
    account, _ = make_account("coordinator", two_factor_on=False)
    enrolment = two_factor.start_enrolment(account)
    codes = two_factor.confirm_enrolment(account, code_now(enrolment.secret))
    _damage_totp_secret(account)
    assert not two_factor.verify_code(account, code_now(enrolment.secret))
    assert accounts.complete_sign_in(account.id, code_now(enrolment.secret)) is accounts.FAILED
    assert f"two-factor secret of account {account.id} does not open (OpenFailed)" in caplog.text
    assert enrolment.secret not in caplog.text
    assert accounts.complete_sign_in(account.id, codes[0]).outcome is SignIn.SIGNED_IN


def test_an_enrolment_whose_secret_does_not_open_starts_again(app, caplog):
    account, _ = make_account("coordinator", two_factor_on=False)
    first = two_factor.start_enrolment(account)
    _damage_totp_secret(account)
    assert two_factor.confirm_enrolment(account, code_now(first.secret)) is None
    again = two_factor.start_enrolment(account)
    assert again.secret != first.secret
    assert two_factor.confirm_enrolment(account, code_now(again.secret))
    assert account.totp_enabled
    assert "does not open" in caplog.text


def test_enrolment_offers_the_same_secret_until_confirmed(app):
    account, _ = make_account("coordinator", two_factor_on=False)
    first = two_factor.start_enrolment(account)
    assert two_factor.start_enrolment(account).secret == first.secret
    assert first.uri.startswith("otpauth://totp/")
    assert two_factor.confirm_enrolment(account, "000000" if code_now(first.secret) != "000000" else "111111") is None
    assert not account.totp_enabled
    codes = two_factor.confirm_enrolment(account, code_now(first.secret))
    assert account.totp_enabled and len(codes) == 10
    assert actions()[-1] == "two_factor_enabled"
    with pytest.raises(two_factor.TwoFactorError):
        two_factor.start_enrolment(account)


def test_recovery_codes_are_hashed_and_work_once(app):
    account, _ = make_account("coordinator", two_factor_on=False)
    enrolment = two_factor.start_enrolment(account)
    codes = two_factor.confirm_enrolment(account, code_now(enrolment.secret))
    assert len(set(codes)) == 10
    stored = " ".join(account.recovery_codes)
    assert not any(code in stored or code.replace("-", "") in stored for code in codes)
    assert accounts.complete_sign_in(account.id, codes[3].lower()).outcome is SignIn.SIGNED_IN
    assert two_factor.recovery_codes_left(account) == 9
    assert accounts.complete_sign_in(account.id, codes[3]) is accounts.FAILED
    assert "recovery_code_used" in actions()


def test_key_rotation_reseals_totp_secrets(app, tmp_path):
    account, secret = make_account("admin")
    make_account("worker")  # no two-factor: nothing sealed, nothing to rotate
    old_primary = current_keyring().primary
    assert key_rotation.key_usage() == {old_primary: 1}
    replace_keyring(current_keyring().with_new_primary())
    assert key_rotation.pending_count() == 1
    assert key_rotation.reseal_all() == 1
    db.session.refresh(account)
    assert account.totp_key_id == current_keyring().primary != old_primary
    assert accounts.complete_sign_in(account.id, code_now(secret)).outcome is SignIn.SIGNED_IN


# -- PINs -------------------------------------------------------------------------------------------
def test_pin_must_be_four_to_eight_digits(app):
    account, _ = make_account("worker")
    for bad in ("123", "123456789", "12a4", ""):
        with pytest.raises(AccountError):
            pins.set_pin(account, bad)
    coordinator, _ = make_account("coordinator")
    with pytest.raises(AccountError):
        pins.set_pin(coordinator, "2468")


def test_wrong_pins_are_counted_and_five_end_the_session(app):
    account, _ = make_account("worker", pin="2468")
    session_id = account.get_id()
    assert pins.check_pin(account, "2468") is pins.PIN_OK
    for attempt in range(1, 5):
        assert pins.check_pin(account, "1111") is pins.PIN_WRONG
        assert account.pin_failures == attempt
        assert pins.attempts_left(account) == 5 - attempt
    assert accounts.load_signed_in(session_id) is account
    assert pins.check_pin(account, "1111") is pins.PIN_LOCKED
    assert accounts.load_signed_in(session_id) is None, "the session must end"
    assert actions().count("pin_failed") == 5 and "pin_locked_out" in actions()


def test_a_right_pin_resets_the_count(app):
    account, _ = make_account("worker", pin="2468")
    pins.check_pin(account, "1111")
    assert pins.check_pin(account, "2468") is pins.PIN_OK
    assert account.pin_failures == 0


def test_no_pin_means_the_session_ends(app):
    account, _ = make_account("worker")
    assert pins.check_pin(account, "2468") is pins.PIN_LOCKED


# -- what admins do -------------------------------------------------------------------------------
def test_reset_password_gives_a_temporary_one_and_unlocks(app):
    admin, _ = make_account("admin")
    account, _ = make_account("worker", "w@example.org")
    account.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    temporary = accounts.reset_password(account, admin)
    assert accounts.authenticate("w@example.org", PASSWORD) is accounts.FAILED
    result = accounts.authenticate("w@example.org", temporary)
    assert result.outcome is SignIn.SIGNED_IN and account.must_change_password


def test_reset_two_factor_forgets_everything(app):
    admin, _ = make_account("admin")
    account, _ = make_account("coordinator")
    accounts.reset_two_factor(account, admin)
    assert not account.totp_enabled and account.totp_secret is None and account.recovery_codes == []
    assert account.needs_two_factor


def test_admins_cannot_deactivate_or_reset_themselves(app):
    admin, _ = make_account("admin")
    for change in (accounts.deactivate, accounts.reset_password, accounts.reset_two_factor):
        with pytest.raises(AccountError):
            change(admin, admin)
    assert admin.is_active and admin.totp_enabled


def test_every_admin_change_is_audited(app):
    admin, _ = make_account("admin")
    account, _ = make_account("coordinator")
    accounts.deactivate(account, admin)
    accounts.reactivate(account, admin)
    accounts.reset_password(account, admin)
    accounts.reset_two_factor(account, admin)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.account_id == admin.id)).all()
    # The coordinator had access to comments: the reset takes it away, and says so.
    assert [e.action for e in events][-5:] == [
        "account_deactivated", "account_reactivated", "password_reset", "narrative_access_lost", "two_factor_reset",
    ]
    assert all(e.target == account.email and e.actor == admin.email for e in events[-5:])


# -- demo accounts ----------------------------------------------------------------------------------
def test_demo_accounts_are_made_once_through_the_services(app):
    created = demo_accounts.create_demo_accounts()
    assert [d.role for d in created] == ["admin", "coordinator", "worker"]
    assert demo_accounts.create_demo_accounts() == []
    rows = db.session.scalars(select(Account).order_by(Account.email)).all()
    assert len(rows) == 3
    for account in rows:
        assert account.display_name.startswith("Demo")
        assert account.organisation == "Demo Refuge North"
        assert not account.must_change_password
    admin = accounts.account_by_email("demo-admin@example.org")
    assert accounts.authenticate(admin.email, "demo-admin-password").outcome is SignIn.NEEDS_CODE
    demo_secret = demo_accounts.DEMO_ACCOUNTS[0].totp_secret
    assert accounts.complete_sign_in(admin.id, code_now(demo_secret, later_steps=1)).outcome is SignIn.SIGNED_IN
    worker = accounts.account_by_email("demo-worker@example.org")
    assert not worker.totp_enabled
    assert pins.check_pin(worker, "2468") is pins.PIN_OK


def test_users_demo_command_prints_demo_only_credentials(app):
    result = app.test_cli_runner().invoke(args=["users", "demo"])
    assert result.exit_code == 0, result.output
    assert "DEMO ONLY" in result.output
    assert "demo-admin-password" in result.output and "2468" in result.output
    assert demo_accounts.DEMO_ACCOUNTS[1].totp_secret in result.output
    again = app.test_cli_runner().invoke(args=["users", "demo"])
    assert again.exit_code == 0 and "unchanged" in again.output
    assert len(accounts.list_accounts()) == 3


def test_users_demo_refuses_in_production(app):
    app.config["ENV_NAME"] = "production"
    result = app.test_cli_runner().invoke(args=["users", "demo"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert accounts.list_accounts() == []


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    args = ["users", "create-admin", "--email", "Boss@Example.org", "--name", "Boss", "--organisation", "Partnership"]
    result = runner.invoke(args=[*args, "--password-stdin"], input="a long admin password\n")
    assert result.exit_code == 0, result.output
    admin = accounts.account_by_email("boss@example.org")
    assert admin.role == "admin" and not admin.must_change_password and admin.needs_two_factor
    assert accounts.authenticate("boss@example.org", "a long admin password").outcome is SignIn.SIGNED_IN
    assert audit.events_for("account_created")[-1].actor == "command line"
    short = runner.invoke(args=[*args[:3], "other@example.org", *args[4:], "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "at least 12" in short.output


def test_create_admin_prompts_twice(app):
    runner = app.test_cli_runner()
    args = ["users", "create-admin", "--email", "b@example.org", "--name", "B", "--organisation", "P"]
    result = runner.invoke(args=args, input="a long admin password\na long admin password\n")
    assert result.exit_code == 0, result.output
    assert accounts.account_by_email("b@example.org") is not None
