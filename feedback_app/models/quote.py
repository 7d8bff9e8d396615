"""Quotes: comments a coordinator proposed for reports, redacted, then approved.

The redacted text is sealed with the keyring (associated data ``quote:<id>:text``). Only a
quote whose ``status`` is ``approved`` may appear in a report.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, LargeBinary, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .account import utcnow

QUOTE_STATUSES = ("proposed", "approved", "withdrawn")


class Quote(db.Model):
    __tablename__ = "quotes"
    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'approved', 'withdrawn')", name="status"),
        UniqueConstraint("response_id", "field", name="one_quote_per_comment"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    response_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    key_id: Mapped[str] = mapped_column(String(8), index=True)
    # The redacted wording (a draft while proposed, final once approved), sealed.
    text: Mapped[bytes] = mapped_column(LargeBinary)
    proposed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def place(self) -> str:
        return quote_place(self.id)


def quote_place(quote_id: uuid.UUID) -> str:
    return f"quote:{quote_id}:text"
