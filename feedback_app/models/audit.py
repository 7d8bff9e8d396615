"""What staff did, when: an append-only log.

Rows are only ever added (``services.staff.audit.record``). Updating or deleting one through the
ORM raises ``AuditLogIsAppendOnly``. Nothing here identifies a device or a connection (no
addresses, no user agents), and nothing here is survivor content.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Uuid, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db
from .account import utcnow

UNKNOWN_ACTOR = "unknown account"


class AuditLogIsAppendOnly(RuntimeError):
    """An audit event was about to be changed or deleted."""


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # The account that acted, when known (kept if the account is later deactivated).
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"), index=True)
    # The actor's email at the time, or "unknown account": never an email typed for no account.
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    # What was acted on, e.g. the email of the account changed.
    target: Mapped[str | None] = mapped_column(String(254))
    detail: Mapped[str | None] = mapped_column(String(200))


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    """Also refuse ``update(AuditEvent)`` / ``delete(AuditEvent)`` statements run by the ORM."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_arguments.get("mapper")
    if mapper is not None and inspect(mapper).class_ is AuditEvent:
        raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")
