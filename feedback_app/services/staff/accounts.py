"""Staff accounts: creating them, signing in, and what an admin can do to them.

Signing in never tells anyone whether an email has an account: an unknown email, a wrong
password, a locked account and a deactivated one all fail the same way (and an unknown email
spends the same argon2 time, against a throw-away hash). After ``SIGN_IN_MAX_FAILURES``
failed passwords or codes in a row an account is locked for ``SIGN_IN_LOCKOUT_MINUTES``.

Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import ROLES, Account
from ...models.account import new_session_nonce, utcnow
from . import audit, narrative_access, narrative_sessions, two_factor
from .errors import AccountError
from .passwords import hash_secret, needs_rehash, temporary_password, verify_secret, waste_time

# The worker's PIN lives in pins.py; worker pages use it from here.

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
FIELD_MAX_LENGTH = 120


class SignIn(enum.Enum):
    FAILED = "failed"  # one generic message, whatever the reason
    NEEDS_CODE = "needs_code"  # password right; a two-factor code must follow
    SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    account: Account | None = None


FAILED = SignInResult(SignIn.FAILED)


# -- looking accounts up ----------------------------------------------------------------------
def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_account(account_id: uuid.UUID) -> Account | None:
    return db.session.get(Account, account_id)


def account_by_email(email: str) -> Account | None:
    return db.session.scalar(select(Account).where(Account.email == normalise_email(email)))


def has_accounts() -> bool:
    """Whether any staff account exists (first-run set-up needs none)."""
    return db.session.scalar(select(Account.id).limit(1)) is not None


def list_accounts() -> list[Account]:
    order = [Account.is_active.desc(), Account.role, Account.display_name]
    return list(db.session.scalars(select(Account).order_by(*order)))


def load_signed_in(session_id: str) -> Account | None:
    """The account for a Flask-Login id ``<uuid>.<nonce>``, if it is active and the nonce is
    still current (a password reset, 2FA reset or deactivation changes the nonce)."""
    raw_id, _, nonce = (session_id or "").partition(".")
    try:
        account_id = uuid.UUID(raw_id)
    except ValueError:
        return None
    account = get_account(account_id)
    if account is None or not account.is_active or not nonce or account.session_nonce != nonce:
        return None
    return account


# -- creating -------------------------------------------------------------------------------
def check_new_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(_l("Use at least %(n)d characters.", n=PASSWORD_MIN_LENGTH))
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError(_l("Use at most %(n)d characters.", n=PASSWORD_MAX_LENGTH))


def create_account(
    email: str,
    display_name: str,
    role: str,
    organisation: str,
    *,
    by: Account | str,
    password: str | None = None,
) -> tuple[Account, str | None]:
    """Create an account. Without ``password`` a temporary one is made, returned (to show
    once) and must be changed at first sign-in. ``by`` is the admin, or e.g. "command line"."""
    email = normalise_email(email)
    display_name = (display_name or "").strip()
    organisation = (organisation or "").strip()
    if role not in ROLES:
        raise AccountError(_l("Choose a role."))
    if "@" not in email or len(email) > 254:
        raise AccountError(_l("Enter an email address."))
    if not display_name or not organisation:
        raise AccountError(_l("Enter a name and an organisation."))
    if len(display_name) > FIELD_MAX_LENGTH or len(organisation) > FIELD_MAX_LENGTH:
        raise AccountError(_l("Names can be at most %(n)d characters.", n=FIELD_MAX_LENGTH))
    if account_by_email(email) is not None:
        raise AccountError(_l("There is already an account with that email address."))
    temporary = None
    if password is None:
        temporary = password = temporary_password()
    else:
        check_new_password(password)
    account = Account(
        id=uuid.uuid4(),
        email=email,
        display_name=display_name,
        role=role,
        organisation=organisation,
        password_hash=hash_secret(password),
        must_change_password=temporary is not None,
        is_active=True,
        recovery_codes=[],
    )
    db.session.add(account)
    db.session.flush()
    audit.record("account_created", by, account, f"role {role}, {organisation}", commit=False)
    db.session.commit()
    return account, temporary


# -- signing in -----------------------------------------------------------------------------
def authenticate(email: str, password: str) -> SignInResult:
    """Check an email and password. Any failure is ``FAILED`` with nothing more said."""
    account = account_by_email(email)
    if account is None:
        waste_time(password)
        audit.record("sign_in_failed", None, detail="no such account")
        return FAILED
    if not account.is_active or account.is_locked():
        waste_time(password)
        reason = "account deactivated" if not account.is_active else "account locked"
        audit.record("sign_in_failed", account, account, reason)
        return FAILED
    if not verify_secret(account.password_hash, password):
        _count_failure(account, "sign_in_failed", "wrong password")
        return FAILED
    if needs_rehash(account.password_hash):
        account.password_hash = hash_secret(password)
        db.session.commit()
    if account.totp_enabled:
        return SignInResult(SignIn.NEEDS_CODE, account)
    _signed_in(account, "password")
    return SignInResult(SignIn.SIGNED_IN, account)


def complete_sign_in(account_id: uuid.UUID, code: str) -> SignInResult:
    """Second step: a TOTP code or a recovery code for an account whose password was right."""
    account = get_account(account_id)
    if account is None or not account.is_active or account.is_locked() or not account.totp_enabled:
        return FAILED
    if two_factor.looks_like_totp(code):
        accepted, how = two_factor.verify_code(account, code), "authenticator code"
    else:
        accepted, how = two_factor.use_recovery_code(account, code), "recovery code"
    if not accepted:
        _count_failure(account, "two_factor_failed", "wrong or reused code")
        return FAILED
    _signed_in(account, how)
    return SignInResult(SignIn.SIGNED_IN, account)


def _signed_in(account: Account, how: str) -> None:
    account.failed_logins = 0
    account.locked_until = None
    account.pin_failures = 0
    audit.record("sign_in", account, detail=f"with {how}", commit=False)
    db.session.commit()


def _count_failure(account: Account, action: str, detail: str) -> None:
    config = current_app.config
    account.failed_logins += 1
    audit.record(action, account, account, detail, commit=False)
    if account.failed_logins >= config["SIGN_IN_MAX_FAILURES"]:
        minutes = config["SIGN_IN_LOCKOUT_MINUTES"]
        account.locked_until = utcnow() + timedelta(minutes=minutes)
        account.failed_logins = 0
        audit.record("account_locked", account, account, f"for {minutes} minutes", commit=False)
    db.session.commit()


def record_sign_out(account: Account, timed_out: bool = False) -> None:
    audit.record("session_timed_out" if timed_out else "sign_out", account)


# -- the account holder's own changes ----------------------------------------------------------
def change_password(account: Account, current: str, new: str) -> None:
    """Change one's own password. Every other session of the account ends."""
    if not verify_secret(account.password_hash, current):
        raise AccountError(_l("Your current password is not right."))
    check_new_password(new)
    if new == current:
        raise AccountError(_l("Choose a new password, different from the one you have now."))
    account.password_hash = hash_secret(new)
    account.must_change_password = False
    account.session_nonce = new_session_nonce()
    narrative_access.rewrap(account, current, new)
    audit.record("password_changed", account, account, commit=False)
    db.session.commit()


# -- what an admin does -------------------------------------------------------------------------
def _not_self(account: Account, admin: Account) -> None:
    if account.id == admin.id:
        raise AccountError(_l("You cannot do this to your own account."))


def deactivate(account: Account, admin: Account) -> None:
    _not_self(account, admin)
    account.is_active = False
    account.session_nonce = new_session_nonce()
    audit.record("account_deactivated", admin, account, commit=False)
    db.session.commit()
    narrative_sessions.forget_account(account.id)


def reactivate(account: Account, admin: Account) -> None:
    account.is_active = True
    account.failed_logins = 0
    account.locked_until = None
    audit.record("account_reactivated", admin, account, commit=False)
    db.session.commit()


def reset_password(account: Account, admin: Account) -> str:
    """A new temporary password (returned, to show once). It also unlocks the account and
    ends every session signed in with the old password."""
    _not_self(account, admin)
    temporary = temporary_password()
    account.password_hash = hash_secret(temporary)
    account.must_change_password = True
    account.failed_logins = 0
    account.locked_until = None
    account.session_nonce = new_session_nonce()
    audit.record("password_reset", admin, account, commit=False)
    # Their narrative key was wrapped under the old password: figures still work, words
    # wait until a coordinator with access gives it again.
    if narrative_access.remove_locker(account):
        audit.record("narrative_access_lost", admin, account, commit=False)
    db.session.commit()
    narrative_sessions.forget_account(account.id)
    return temporary


def set_recovery_passphrase(account: Account, passphrase: str, by: str) -> None:
    """``flask narratives recover`` for a coordinator with no locker: a passphrase chosen
    with them becomes their password (to change at next sign-in), ending their sessions."""
    check_new_password(passphrase)
    account.password_hash = hash_secret(passphrase)
    account.must_change_password = True
    account.session_nonce = new_session_nonce()
    narrative_access.remove_locker(account)
    audit.record("password_reset", by, account, "for narrative recovery", commit=False)
    db.session.commit()
    narrative_sessions.forget_account(account.id)


def reset_two_factor(account: Account, admin: Account) -> None:
    """Forget the account's authenticator and recovery codes; it enrols again at next sign-in."""
    _not_self(account, admin)
    two_factor.clear(account)
    account.session_nonce = new_session_nonce()
    audit.record("two_factor_reset", admin, account, commit=False)
    db.session.commit()
