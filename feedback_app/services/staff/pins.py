"""The worker's PIN: 4 to 8 digits, hashed with argon2id, for taking a tablet back after a
survivor has used it.

``check_pin`` answers ``PIN_OK``, ``PIN_WRONG`` (try again) or ``PIN_LOCKED``: after
``PIN_MAX_FAILURES`` wrong PINs in a row, or when the account has no PIN at all, the worker's
session must end. The caller signs the worker out; ``check_pin`` has also changed the
account's session nonce, so the session is dead on its next request even if it did not.
"""

from __future__ import annotations

import enum
import re

from flask import current_app
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Account
from ...models.account import new_session_nonce
from . import audit
from .errors import AccountError
from .passwords import hash_secret, verify_secret, waste_time

PIN_PATTERN = re.compile(r"[0-9]{4,8}")


class PinCheck(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"  # end the worker's session now


PIN_OK, PIN_WRONG, PIN_LOCKED = PinCheck.OK, PinCheck.WRONG, PinCheck.LOCKED


def is_valid_pin(pin: str) -> bool:
    return bool(PIN_PATTERN.fullmatch(pin or ""))


def set_pin(account: Account, pin: str) -> None:
    if account.role != "worker":
        raise AccountError(_l("Only workers use a PIN."))
    if not is_valid_pin(pin):
        raise AccountError(_l("Use 4 to 8 digits."))
    account.pin_hash = hash_secret(pin)
    account.pin_failures = 0
    audit.record("pin_set", account, account, commit=False)
    db.session.commit()


def attempts_left(account: Account) -> int:
    return max(current_app.config["PIN_MAX_FAILURES"] - account.pin_failures, 0)


def check_pin(account: Account, pin: str) -> PinCheck:
    if account.pin_hash is None:
        waste_time(pin or "")
        _end_sessions(account, "no PIN set")
        return PIN_LOCKED
    if is_valid_pin(pin) and verify_secret(account.pin_hash, pin):
        if account.pin_failures:
            account.pin_failures = 0
            db.session.commit()
        return PIN_OK
    limit = current_app.config["PIN_MAX_FAILURES"]
    account.pin_failures += 1
    audit.record("pin_failed", account, account, f"{account.pin_failures} of {limit}", commit=False)
    if account.pin_failures >= limit:
        _end_sessions(account, f"{limit} wrong PINs")
        return PIN_LOCKED
    db.session.commit()
    return PIN_WRONG


def _end_sessions(account: Account, reason: str) -> None:
    account.pin_failures = 0
    account.session_nonce = new_session_nonce()
    audit.record("pin_locked_out", account, account, reason, commit=False)
    db.session.commit()

