"""A member of partnership staff who signs in: an admin, a coordinator or a worker.

Secrets are never stored as given: the password and the worker's PIN are argon2id hashes,
recovery codes are SHA-256 hashes of high-entropy codes, and the TOTP secret is sealed with
the keyring (associated data ``account:<id>:totp``).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, DateTime, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

ROLES = ("admin", "coordinator", "worker")
# Roles that may not reach their pages without two-factor authentication.
TWO_FACTOR_ROLES = ("admin", "coordinator")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_session_nonce() -> str:
    return secrets.token_hex(16)


class Account(UserMixin, db.Model):
    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint("role IN ('admin', 'coordinator', 'worker')", name="role"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # always lower-case
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of the Flask-Login id: a new nonce ends every session signed in before it.
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)

    # Two-factor: the sealed TOTP secret (set while enrolling), enabled once confirmed.
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_key_id: Mapped[str | None] = mapped_column(String(8), index=True)
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    # The last 30-second step a code was accepted for: a code is never accepted twice.
    totp_last_step: Mapped[int] = mapped_column(default=0)
    # SHA-256 hex digests of the unused recovery codes.
    recovery_codes: Mapped[list[str]] = mapped_column(JSON, default=list)

    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # The worker's PIN for taking a tablet back after a survivor used it (4 to 8 digits).
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    pin_failures: Mapped[int] = mapped_column(default=0)

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_nonce}"

    @property
    def needs_two_factor(self) -> bool:
        """True when this role must use two-factor but has not enrolled yet."""
        return self.role in TWO_FACTOR_ROLES and not self.totp_enabled

    @property
    def has_pin(self) -> bool:
        return self.pin_hash is not None

    def is_locked(self, now: datetime | None = None) -> bool:
        if self.locked_until is None:
            return False
        return as_utc(self.locked_until) > (now or utcnow())


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def totp_place(account_id: uuid.UUID) -> str:
    """Associated data binding a TOTP secret blob to its account."""
    return f"account:{account_id}:totp"
