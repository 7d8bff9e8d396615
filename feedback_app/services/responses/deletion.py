"""Deleting responses for good, with everything made from them: codings, rejected
suggestions, glosses and quotes (SQLite does not cascade, so each is deleted here, first).

Used by retention (``retention``) and by removing demo data (``demo.responses``). The
caller commits, together with whatever it records about the deletion.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from ...extensions import db
from ...models import CommentCoding, CommentGloss, Quote, RejectedSuggestion, Response


@dataclass(frozen=True)
class Deleted:
    responses: int
    codings: int
    glosses: int
    quotes: int


def delete_responses(*conditions) -> Deleted:
    """Delete the responses matching ``conditions`` (on ``Response``) and all made from them."""
    chosen = select(Response.id).where(*conditions)
    counts = {}
    for name, model in (("codings", CommentCoding), ("glosses", CommentGloss), ("quotes", Quote)):
        counts[name] = db.session.execute(delete(model).where(model.response_id.in_(chosen))).rowcount
    db.session.execute(delete(RejectedSuggestion).where(RejectedSuggestion.response_id.in_(chosen)))
    responses = db.session.execute(delete(Response).where(*conditions)).rowcount
    return Deleted(responses, counts["codings"], counts["glosses"], counts["quotes"])
