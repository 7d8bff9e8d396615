"""Demo coding and demo quotes, so that a demo site's themed summary has something to show.

Only demo responses (``Response.is_demo``) are touched, and only when none of them has been
coded yet. Each demo comment gets the themes the demo codebook's keyword rules suggest, as
if a coordinator had accepted every suggestion (``source="suggestion"``, no coder). A few
comments per service and question become approved quotes, redacted by the suggester and
approved by nobody (``approved_by`` NULL): real quotes always need a coordinator.
"""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import exists, select

from ...extensions import db
from ...models import CommentCoding, Quote, Response
from ...models.account import utcnow
from ..insight import redaction, themes
from ..insight.catalogue import catalogue
from ..insight.theme_suggestions import suggest
from ..responses.sealed_text import seal_text
from ..responses.store import Unreadable, open_answers

QUOTES_PER_QUESTION = 2
BATCH = 500


def code_demo_comments(quotes_per_question: int = QUOTES_PER_QUESTION) -> tuple[int, int]:
    """Code the demo comments and approve a few demo quotes. Returns ``(codings, quotes)``."""
    already = select(CommentCoding.id).join(Response, Response.id == CommentCoding.response_id)
    if db.session.scalar(select(exists(already.where(Response.is_demo.is_(True))))):
        return 0, 0
    rules_cache: dict = {}
    quoted: Counter = Counter()
    codings = quotes = 0
    ids = db.session.scalars(
        select(Response.id).where(Response.is_demo.is_(True)).order_by(Response.submitted_week.desc(), Response.id)
    ).all()
    for start in range(0, len(ids), BATCH):  # a batch of rows in memory at a time
        chunk = ids[start : start + BATCH]
        rows = db.session.scalars(
            select(Response).where(Response.id.in_(chunk)).order_by(Response.submitted_week.desc(), Response.id)
        ).all()
        for row in rows:
            try:
                answers = open_answers(row)
            except Unreadable:
                continue
            for field, text in answers.items():
                source = catalogue().source_of(row.survey_slug, field) if isinstance(text, str) else None
                if source is None or not text.strip():
                    continue
                key = (source.service, source.question.kinds)
                if key not in rules_cache:
                    rules_cache[key] = themes.rules_of(themes.applicable_themes(*key))
                for suggestion in suggest(text, row.language, rules_cache[key]):
                    db.session.add(
                        CommentCoding(response_id=row.id, field=field, theme_id=suggestion.theme_id, source="suggestion")
                    )
                    codings += 1
                scope = (source.scope, source.question.id)
                if quoted[scope] < quotes_per_question:
                    redacted, _found = redaction.redact(text)
                    quote = Quote(id=uuid.uuid4(), response_id=row.id, field=field, status="approved", approved_at=utcnow())
                    quote.key_id, quote.text = seal_text(redacted, quote.place)
                    db.session.add(quote)
                    quoted[scope] += 1
                    quotes += 1
        db.session.commit()
    return codings, quotes
