"""The export log: every file of figures or responses that left the site, and who took it.

Nothing here is survivor content: the kind of export, what it covered, how many rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .account import utcnow

# summary_html is the printable page; the others are downloaded files.
EXPORT_KINDS = ("summary_html", "summary_pdf", "summary_xlsx", "summary_csv", "raw_csv")


class ExportRecord(db.Model):
    __tablename__ = "export_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    exported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("accounts.id"), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(20))
    # What it covered, e.g. "2026-27 Q1; survey: adult; demo rows excluded".
    scope: Mapped[str] = mapped_column(String(300))
    rows: Mapped[int | None]
