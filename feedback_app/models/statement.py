"""“You said, we did”: short statements the partnership publishes about what people told it
and what the services did about it.

Statements are written by coordinators, never by survivors, so they are stored in the clear.
A statement belongs to one financial-year quarter (``period``, a quarter token such as
``"2026-27-q1"``) and one service (a service key such as ``"services.police"``, or
``"general"``). Its wording is kept per language (``StatementText``): English is the master,
the others are translations entered by a coordinator. Each language's wording is a draft or
approved; a language with no row is missing. A published statement is shown in a language
only when that language's wording (and the English) is approved.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .account import utcnow

STATEMENT_STATUSES = ("draft", "published", "withdrawn")
STATEMENT_TEXT_STATUSES = ("draft", "approved")


class Statement(db.Model):
    __tablename__ = "statements"
    __table_args__ = (CheckConstraint("status IN ('draft', 'published', 'withdrawn')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16), index=True)  # a quarter token, "2026-27-q1"
    service: Mapped[str] = mapped_column(String(60))  # a service key, or "general"
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    texts: Mapped[list[StatementText]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", order_by="StatementText.id"
    )

    def text_in(self, language: str) -> StatementText | None:
        return next((text for text in self.texts if text.language == language), None)


class StatementText(db.Model):
    """A statement's wording in one language: what people said, and what was done."""

    __tablename__ = "statement_texts"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'approved')", name="status"),
        UniqueConstraint("statement_id", "language", name="one_text_per_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    you_said: Mapped[str] = mapped_column(Text, default="")
    we_did: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # A translation whose English changed after it was last saved: it needs checking again.
    english_changed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    statement: Mapped[Statement] = relationship(back_populates="texts")
