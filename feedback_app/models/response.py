"""One submitted survey: metadata in the clear, the answers sealed."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

COLLECTION_MODES = ("online", "assisted", "handed_over")


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint(
            "collection_mode IN ('online', 'assisted', 'handed_over')", name="collection_mode"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    survey_slug: Mapped[str] = mapped_column(String(40), index=True)
    survey_version: Mapped[int]
    language: Mapped[str] = mapped_column(String(16))
    collection_mode: Mapped[str] = mapped_column(String(16))
    # Set for assisted and handed-over evaluations only; never the worker.
    organisation: Mapped[str | None] = mapped_column(String(120))
    # The Monday of the week of submission: no day, no time.
    submitted_week: Mapped[date] = mapped_column(Date, index=True)
    # The key that sealed ``payload`` (also inside the blob); lets rotation find old blobs.
    key_id: Mapped[str] = mapped_column(String(8), index=True)
    # AES-256-GCM blob of the JSON answers, bound to "response:<id>:payload": once the
    # partnership has a narrative key, the chosen answers only and "~written" (which
    # free-text questions were answered, never what was written)
    # (sealed and opened only by ``services.responses.store``, which owns the places).
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # The chosen answers only (no free text) as short tokens for counting, sealed with
    # ``facts_key_id`` and bound to "response:<id>:facts" (``services.responses.facts``).
    # NULL for rows stored before it existed: those are counted from ``payload``.
    facts: Mapped[bytes | None] = mapped_column(LargeBinary)
    facts_key_id: Mapped[str | None] = mapped_column(String(8), index=True)
    # Every free-text answer as JSON, sealed to the narrative public key ``narrative_key_id``
    # and bound to "response:<id>:narrative": opened only with a coordinator's unlocked key.
    # NULL when nothing was written, or for rows stored before narrative keys existed
    # (``flask narratives migrate`` moves their words here).
    narrative: Mapped[bytes | None] = mapped_column(LargeBinary)
    narrative_key_id: Mapped[str | None] = mapped_column(String(8), index=True)
