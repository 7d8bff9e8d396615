"""The themed summary's own commentary: what the partnership writes around the figures
(an introduction, how feedback was collected, a word on each service, what was changed).

Written by coordinators, never by survivors, so stored in the clear: one row per part of the
commentary of one period (``period``: a quarter or year token, or ``"all"``) and one audience
(``audience``: an audience key, or ``""`` for the report as a whole). ``part`` is
``introduction``, ``method``, ``changed`` or ``service:<service key>``. A part left empty has
no row.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .account import utcnow


class ReportCommentary(db.Model):
    __tablename__ = "report_commentary"
    __table_args__ = (UniqueConstraint("period", "audience", "part", name="one_text_per_part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16), index=True)  # "2026-27-q2", "2026-27", "all"
    audience: Mapped[str] = mapped_column(String(40), default="")  # "" for the whole report
    part: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
