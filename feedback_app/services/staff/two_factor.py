"""Two-factor authentication: TOTP (RFC 6238, 30-second steps) and one-time recovery codes.

The TOTP secret is sealed with the keyring, bound to ``account:<id>:totp``. A code is
accepted for the current step or one step either side, and never for a step at or before
the last one accepted (so a code cannot be replayed, even within its window). Recovery codes
are shown once; only their SHA-256 digests are kept, and each works once.

A secret that does not open (keys or data damaged) is logged and treated as no secret: no
authenticator code is accepted (recovery codes still are), and an enrolment not yet
confirmed starts again with a fresh secret. No ``CryptoError`` reaches a page.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass

import pyotp
from flask import current_app
from sqlalchemy import update

from ...crypto import CryptoError
from ...extensions import db
from ...models import Account
from ...models.account import totp_place
from ..responses.keyring import current_keyring
from . import audit
from .passwords import recovery_code, recovery_code_digest

STEP_SECONDS = 30
VALID_WINDOW = 1
CODE_DIGITS = 6
RECOVERY_CODE_COUNT = 10

logger = logging.getLogger("feedback_app.two_factor")


class TwoFactorError(Exception):
    """Two-factor authentication is already on (or not started) for this account."""


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str

    @property
    def grouped_secret(self) -> str:
        """The secret in groups of four, easier to type into an app."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS)


def _open_secret(account: Account) -> str | None:
    """The account's TOTP secret; None if it has none, or (logged) if it does not open."""
    if account.totp_secret is None:
        return None
    try:
        return current_keyring().open(account.totp_secret, totp_place(account.id)).decode("ascii")
    except (CryptoError, UnicodeDecodeError) as error:
        logger.error("the two-factor secret of account %s does not open (%s)", account.id, type(error).__name__)
        return None


def _store_secret(account: Account, secret: str | None) -> None:
    if secret is None:
        account.totp_secret = None
        account.totp_key_id = None
        return
    keyring = current_keyring()
    account.totp_secret = keyring.seal(secret.encode("ascii"), totp_place(account.id))
    account.totp_key_id = keyring.primary


def start_enrolment(account: Account, secret: str | None = None) -> Enrolment:
    """The secret to add to an authenticator app. The same secret is offered again until it
    is confirmed, so reloading the page does not invalidate what was already scanned."""
    if account.totp_enabled:
        raise TwoFactorError("two-factor authentication is already on")
    current = _open_secret(account)
    if current is None or secret is not None:
        current = secret or pyotp.random_base32(32)
        _store_secret(account, current)
        db.session.commit()
    uri = _totp(current).provisioning_uri(name=account.email, issuer_name=current_app.config["TOTP_ISSUER"])
    return Enrolment(secret=current, uri=uri)


def confirm_enrolment(account: Account, code: str, now: float | None = None) -> list[str] | None:
    """Turn two-factor on if ``code`` is right; returns the new recovery codes (shown once)."""
    secret = _open_secret(account)
    if account.totp_enabled or secret is None:
        return None
    if not _accept_step(account, secret, code, now):
        return None
    account.totp_enabled = True
    codes = _replace_recovery_codes(account)
    audit.record("two_factor_enabled", account, account, commit=False)
    db.session.commit()
    return codes


def verify_code(account: Account, code: str, now: float | None = None) -> bool:
    """True for a right, unused TOTP code (the caller commits)."""
    secret = _open_secret(account)
    if not account.totp_enabled or secret is None:
        return False
    return _accept_step(account, secret, code, now)


def use_recovery_code(account: Account, code: str) -> bool:
    """True, and the code is used up, if it is one of the account's unused recovery codes."""
    if not account.totp_enabled:
        return False
    digest = recovery_code_digest(code)
    stored = list(account.recovery_codes or [])
    remaining = [d for d in stored if not hmac.compare_digest(d, digest)]
    if len(remaining) == len(stored):
        return False
    account.recovery_codes = remaining
    audit.record("recovery_code_used", account, account, f"{len(remaining)} left", commit=False)
    return True


def recovery_codes_left(account: Account) -> int:
    return len(account.recovery_codes or [])


def clear(account: Account) -> None:
    """Turn two-factor off and forget the secret and recovery codes (the caller commits)."""
    _store_secret(account, None)
    account.totp_enabled = False
    account.totp_last_step = 0
    account.recovery_codes = []


def looks_like_totp(code: str) -> bool:
    cleaned = _clean(code)
    return len(cleaned) == CODE_DIGITS and cleaned.isdigit()


def current_code(secret: str, now: float | None = None) -> str:
    """The code an authenticator app shows now (for the demo accounts and tests)."""
    return _totp(secret).at(now if now is not None else time.time())


# -- internals ----------------------------------------------------------------------------
def _clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "")


def _matching_step(secret: str, code: str, now: float | None) -> int | None:
    """The step (within the window) whose code equals ``code``; every step is compared."""
    code = _clean(code)
    if not looks_like_totp(code):
        return None
    totp = _totp(secret)
    current = totp.timecode(now if now is not None else time.time())
    matched = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            matched = step
    return matched


def _accept_step(account: Account, secret: str, code: str, now: float | None) -> bool:
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    # One conditional UPDATE, so two requests with the same code cannot both succeed.
    result = db.session.execute(
        update(Account)
        .where(Account.id == account.id, Account.totp_last_step < step)
        .values(totp_last_step=step)
    )
    if result.rowcount != 1:
        return False
    account.totp_last_step = step
    return True


def _replace_recovery_codes(account: Account) -> list[str]:
    codes = [recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    account.recovery_codes = [recovery_code_digest(code) for code in codes]
    return codes
