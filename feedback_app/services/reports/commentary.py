"""The themed summary's commentary: the partnership's own words around the figures.

Per period (a quarter, a year or all time; a custom range has none) and per audience
(``WHOLE_REPORT`` for the report as a whole), a coordinator writes an introduction, how the
feedback was collected (``METHOD``), a commentary on each service the audience's section
shows, and what was changed because of the feedback (``CHANGED``). Each part is plain text
of at most ``MAX_LENGTH`` characters: paragraphs are separated by a blank line, and the text
is only ever shown through autoescaping (and neutralised in spreadsheets).

Saving writes one audit event that names the period, the audience and the parts that
changed, never their words. Nothing here counts responses: commentary holds only what a
coordinator typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Account, ReportCommentary
from ...models.account import utcnow
from ...surveys.registry import all_surveys
from ..figures import periods
from ..figures.filters import union_services
from ..staff import audit

WHOLE_REPORT = ""
INTRODUCTION, METHOD, CHANGED = "introduction", "method", "changed"
GENERAL_PARTS = (INTRODUCTION, METHOD, CHANGED)
SERVICE_PREFIX = "service:"
ALL_TIME_KEY = "all"
MAX_LENGTH = 3000
EXCERPT_LENGTH = 320

PART_LABELS = {
    INTRODUCTION: _l("Introduction"),
    METHOD: _l("How feedback was collected"),
    CHANGED: _l("What we changed"),
}
SAVED_BY_SOMEONE_ELSE = _l("Someone saved this commentary at the same moment. Check it below, then save again.")


class CommentaryError(ValueError):
    """What was typed cannot be saved: per part, a message or ``TooLong``. Nothing was saved."""

    def __init__(self, errors: dict[str, list]) -> None:
        super().__init__("the commentary was not saved")
        self.errors = errors


@dataclass(frozen=True)
class Commentary:
    """One audience's commentary (or the whole report's) for one period; "" where unwritten."""

    introduction: str = ""
    method: str = ""
    changed: str = ""
    services: Mapping[str, str] = field(default_factory=dict)

    def part(self, part: str) -> str:
        if part.startswith(SERVICE_PREFIX):
            return self.services.get(part[len(SERVICE_PREFIX) :], "")
        return getattr(self, part, "") if part in GENERAL_PARTS else ""

    def service(self, key: str) -> str:
        return self.services.get(key, "")

    @property
    def empty(self) -> bool:
        return not (self.introduction or self.method or self.changed or any(self.services.values()))


NO_COMMENTARY = Commentary()


@dataclass(frozen=True)
class ReportCommentaries:
    """Every audience's commentary of one period; ``period`` is None where a period can have
    none (a custom range)."""

    period: str | None
    by_audience: Mapping[str, Commentary] = field(default_factory=dict)

    def of(self, audience: str = WHOLE_REPORT) -> Commentary:
        return self.by_audience.get(audience, NO_COMMENTARY)

    @property
    def empty(self) -> bool:
        return all(c.empty for c in self.by_audience.values())


def period_key(period: periods.Period) -> str | None:
    """Where a period's commentary is kept: its token, ``"all"`` for all time, None for a
    custom range (commentary belongs to a reporting period)."""
    if period.kind == periods.ALL:
        return ALL_TIME_KEY
    if period.kind in (periods.QUARTER, periods.YEAR):
        return period.token
    return None


def period_of_key(key: str) -> periods.Period | None:
    if key == ALL_TIME_KEY:
        return periods.ALL_TIME
    try:
        period = periods.parse_token(key)
    except periods.PeriodError:
        return None
    return period if period.kind in (periods.QUARTER, periods.YEAR) else None


def audiences() -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.audience for s in all_surveys().values()))


def service_options(audience: str):
    """The services an audience's surveys ask about (keys of its service sections, labels)."""
    return union_services(s for s in all_surveys().values() if s.audience == audience)


def service_keys(audience: str) -> tuple[str, ...]:
    return tuple(o.value for o in service_options(audience))


def service_part(key: str) -> str:
    return SERVICE_PREFIX + key


def known_part(audience: str, part: str) -> bool:
    if part in GENERAL_PARTS:
        return True
    return audience != WHOLE_REPORT and part.startswith(SERVICE_PREFIX) and part[len(SERVICE_PREFIX) :] in service_keys(audience)


def clean(text: str | None) -> str:
    """Plain text as typed, tidied: line breaks made ``\\n``, spaces at line ends and blank
    lines at either end dropped, no more than one blank line between paragraphs."""
    lines = [line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a commentary (separated by blank lines), each with its own line breaks."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """The first paragraph, cut at a word near ``limit`` characters (for the executive summary)."""
    first = next(iter(paragraphs(text)), "")
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


# -- reading ----------------------------------------------------------------------------------


def for_period(period: periods.Period) -> ReportCommentaries:
    """Every audience's commentary of ``period``."""
    key = period_key(period)
    if key is None:
        return ReportCommentaries(None)
    found: dict[str, dict] = {}
    for row in db.session.scalars(select(ReportCommentary).where(ReportCommentary.period == key)):
        found.setdefault(row.audience, {})[row.part] = row.text
    return ReportCommentaries(key, {audience: _commentary(parts) for audience, parts in found.items()})


def _commentary(parts: Mapping[str, str]) -> Commentary:
    services = {p[len(SERVICE_PREFIX) :]: text for p, text in parts.items() if p.startswith(SERVICE_PREFIX)}
    return Commentary(
        introduction=parts.get(INTRODUCTION, ""),
        method=parts.get(METHOD, ""),
        changed=parts.get(CHANGED, ""),
        services=services,
    )


# -- saving -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TooLong:
    """A part longer than ``limit`` characters (the form words the message)."""

    length: int
    limit: int = MAX_LENGTH


def check(values: Mapping[str, str | None]) -> dict[str, str]:
    """The parts as they would be saved; ``CommentaryError`` if any is too long."""
    cleaned = {part: clean(text) for part, text in values.items()}
    errors = {part: [TooLong(len(text))] for part, text in cleaned.items() if len(text) > MAX_LENGTH}
    if errors:
        raise CommentaryError(errors)
    return cleaned


def save(period_key_: str, audience: str, values: Mapping[str, str | None], by: Account | None) -> tuple[str, ...]:
    """Save the parts of one period's and audience's commentary given in ``values`` (an
    empty part is removed); the parts that changed, in the order given. Audited without words."""
    cleaned = check(values)
    rows = {
        row.part: row
        for row in db.session.scalars(
            select(ReportCommentary).where(ReportCommentary.period == period_key_, ReportCommentary.audience == audience)
        )
    }
    changed = []
    for part, text in cleaned.items():
        row = rows.get(part)
        if (row.text if row is not None else "") == text:
            continue
        changed.append(part)
        if not text:
            db.session.delete(row)
        elif row is None:
            db.session.add(
                ReportCommentary(period=period_key_, audience=audience, part=part, text=text, updated_by=_id(by))
            )
        else:
            row.text, row.updated_by, row.updated_at = text, _id(by), utcnow()
    if not changed:
        return ()
    audit.record(
        "report_commentary_saved",
        by,
        target=f"summary {period_key_} {audience or 'whole report'}",
        detail="changed: " + ", ".join(changed),
        commit=False,
    )
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise CommentaryError({"": [SAVED_BY_SOMEONE_ELSE]}) from error
    return tuple(changed)


def _id(account: Account | None):
    return account.id if isinstance(account, Account) else None
