"""Narrative keys: the partnership's key pairs that seal survivors' words, and each
coordinator's locker holding the private key, wrapped so the server alone cannot open it.

* ``NarrativeKeyPair``: a key pair's id and PUBLIC key (the private key is never stored in
  the clear), and its recovery wrap: the private key sealed to the offline recovery key,
  whose public half is kept beside it (so a new key pair can be wrapped for it too).
* ``NarrativeLocker``: one per coordinator who has signed in since keys existed: the argon2id
  salt and parameters of their password key, and their *inbox* key pair (public key in the
  clear, private key wrapped under the password key) that grants are sealed to.
* ``NarrativeWrap``: a narrative private key for one coordinator: ``kind`` ``"password"``
  (wrapped under their password key) or ``"granted"`` (sealed to their inbox by whoever
  granted it, moved under their password at their next sign-in).

Sealed and opened only by ``services.staff.narrative_access``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .account import utcnow

WRAP_KINDS = ("password", "granted")


class NarrativeKeyPair(db.Model):
    __tablename__ = "narrative_keys"

    id: Mapped[str] = mapped_column(String(8), primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set when a newer key pair took over (``flask narratives rotate`` finished).
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recovery_key_id: Mapped[str] = mapped_column(String(8))
    recovery_public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # The private key sealed to the recovery key, bound to "recovery:<recovery id>:<key id>".
    recovery_wrap: Mapped[bytes] = mapped_column(LargeBinary)


class NarrativeLocker(db.Model):
    __tablename__ = "narrative_lockers"

    account_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    # argon2id: {"memory_cost": KiB, "iterations": n, "lanes": n}
    parameters: Mapped[dict] = mapped_column(JSON)
    inbox_key_id: Mapped[str] = mapped_column(String(8))
    inbox_public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # Under the password key, bound to "locker:<account id>:inbox:<inbox key id>".
    inbox_private_wrap: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NarrativeWrap(db.Model):
    __tablename__ = "narrative_wraps"
    __table_args__ = (CheckConstraint("kind IN ('password', 'granted')", name="kind"),)

    account_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    key_id: Mapped[str] = mapped_column(String(8), ForeignKey("narrative_keys.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # "password": a wrap bound to "locker:<account id>:<key id>"; "granted": a narrative
    # sealed to the account's inbox key, bound to "grant:<account id>:<key id>".
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    granted_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
