"""What coordinators record about one free-text comment.

A comment is one text answer: the response it belongs to and the survey's own answer name,
such as ``"better.police"`` (a question repeated per service) or ``"anything_else"``.

* ``CommentCoding``: a theme assigned to a comment (staff interpretation, in the clear).
* ``RejectedSuggestion``: a keyword suggestion a coordinator turned down, so it is not
  offered again.
* ``CommentGloss``: a coordinator's English gloss of the comment, sealed with the keyring
  (associated data ``gloss:<response id>:<field>``) because it restates survivor words.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .account import utcnow


class CommentCoding(db.Model):
    __tablename__ = "comment_codings"
    __table_args__ = (UniqueConstraint("response_id", "field", "theme_id", name="one_coding"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(80))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    # "manual" or "suggestion" (a keyword rule the coordinator accepted).
    source: Mapped[str] = mapped_column(String(16), default="manual")
    coded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"))
    coded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RejectedSuggestion(db.Model):
    __tablename__ = "rejected_suggestions"
    __table_args__ = (UniqueConstraint("response_id", "field", "theme_id", name="one_rejection"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(80))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)


class CommentGloss(db.Model):
    __tablename__ = "comment_glosses"
    __table_args__ = (UniqueConstraint("response_id", "field", name="one_gloss"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(80))
    key_id: Mapped[str] = mapped_column(String(8), index=True)
    gloss: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    @property
    def place(self) -> str:
        return gloss_place(self.response_id, self.field)


def gloss_place(response_id: uuid.UUID, field: str) -> str:
    return f"gloss:{response_id}:{field}"
