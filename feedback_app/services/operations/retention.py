"""Retention: a response is kept for ``RETENTION_YEARS`` (partnership policy; 3 by default)
from the week it was submitted, then deleted with everything made from it (codings,
glosses, quotes). Files already exported are outside the site and are not touched; the
export log keeps its lines.

Nothing here opens a response: which ones are past retention is read from their week, and
what is said about a purge (printed, audited) is counts by quarter and survey only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from ...extensions import db
from ...models import Response
from ..figures.periods import quarter_of
from ..staff import audit
from ..responses.deletion import Deleted, delete_responses
from ..responses.submissions import week_of

ACTOR = "command line"


def years() -> int:
    """How many years a response is kept."""
    return int(current_app.config["RETENTION_YEARS"])


def cutoff(today: date | None = None) -> date:
    """The first week still kept: responses from weeks before it are past retention."""
    today = today or date.today()
    try:
        then = today.replace(year=today.year - years())
    except ValueError:  # 29 February
        then = today.replace(year=today.year - years(), day=28)
    return week_of(then)


@dataclass(frozen=True)
class Due:
    cutoff: date
    by_quarter_and_survey: dict[tuple[str, str], int]  # (quarter label, survey slug) -> responses

    @property
    def total(self) -> int:
        return sum(self.by_quarter_and_survey.values())


def due(today: date | None = None) -> Due:
    """What a purge would delete now, counted by quarter and survey."""
    first_kept = cutoff(today)
    rows = db.session.execute(
        select(Response.submitted_week, Response.survey_slug, func.count())
        .where(Response.submitted_week < first_kept)
        .group_by(Response.submitted_week, Response.survey_slug)
    )
    counts: Counter[tuple[str, str]] = Counter()
    for week, slug, count in rows:
        counts[(quarter_of(week).label, slug)] += count
    return Due(first_kept, dict(sorted(counts.items(), key=lambda item: (item[0][0], item[0][1]))))


def any_due(today: date | None = None) -> bool:
    """Whether any response is waiting to be purged (one indexed lookup)."""
    statement = select(Response.id).where(Response.submitted_week < cutoff(today)).limit(1)
    return db.session.execute(statement).first() is not None


def purge(today: date | None = None) -> Deleted:
    """Delete every response past retention with all made from it, and audit it (counts and
    the cut-off week only), in one transaction."""
    first_kept = cutoff(today)
    deleted = delete_responses(Response.submitted_week < first_kept)
    audit.record(
        "retention_purge",
        ACTOR,
        detail=(
            f"{deleted.responses} responses from weeks before {first_kept.isoformat()} deleted, "
            f"with {deleted.codings} codings, {deleted.glosses} glosses and {deleted.quotes} quotes"
        ),
        commit=False,
    )
    db.session.commit()
    return deleted
