"""How many comments were coded with each theme, counted in SQL.

A comment is one free-text answer (``CommentCoding.field``); which fields are comments, and
which service each is about, is the comment catalogue's (``catalogue``). Themes are counted as
*people*: the number of distinct responses with at least one comment coded with the theme,
so that someone who says the same thing twice is counted once.

Counts are raw: they must go through disclosure control before they are shown. Theme tables
are not additive (one comment can carry several themes), so they get primary suppression.

Nothing here decrypts anything: codings, themes and response metadata are in the clear.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, distinct, func, select

from ...extensions import db
from ...models import CommentCoding, Response, Theme
from ..figures.periods import ALL_TIME, Period
from .catalogue import GENERAL, CommentField, catalogue


@dataclass(frozen=True)
class Scope:
    """Which responses' comments to count (metadata only, applied in SQL)."""

    surveys: tuple[str, ...]
    period: Period = ALL_TIME
    include_demo: bool = True
    language: str | None = None
    collection_mode: str | None = None


@dataclass(frozen=True)
class ThemeCount:
    theme_id: int
    name: str
    kind: str  # "helpful" | "improvement"
    count: int  # people (responses)


@dataclass(frozen=True)
class ThemeCounts:
    overall: tuple[ThemeCount, ...]  # over every comment in scope
    by_service: dict[str, tuple[ThemeCount, ...]]  # service key (or GENERAL) -> counts

    def for_service(self, key: str) -> tuple[ThemeCount, ...]:
        return self.by_service.get(key, ())


def response_conditions(scope: Scope) -> list:
    """SQL conditions on ``Response`` for ``scope``."""
    conditions = [Response.survey_slug.in_(scope.surveys)]
    if scope.period.start is not None:
        conditions.append(Response.submitted_week >= scope.period.start)
    if scope.period.end is not None:
        conditions.append(Response.submitted_week <= scope.period.end)
    if not scope.include_demo:
        conditions.append(Response.is_demo.is_(False))
    if scope.language:
        conditions.append(Response.language == scope.language)
    if scope.collection_mode:
        conditions.append(Response.collection_mode == scope.collection_mode)
    return conditions


def count_themes(scope: Scope) -> ThemeCounts:
    """Theme counts for ``scope``: overall, and for each service's comments."""
    if not scope.surveys:
        return ThemeCounts((), {})
    people = func.count(distinct(CommentCoding.response_id))
    base = (
        select(Theme.id, Theme.name, Theme.kind)
        .select_from(CommentCoding)
        .join(Theme, Theme.id == CommentCoding.theme_id)
        .join(Response, Response.id == CommentCoding.response_id)
        .where(*response_conditions(scope))
    )
    overall = _ordered(
        ThemeCount(theme_id, name, kind, count)
        for theme_id, name, kind, count in db.session.execute(
            base.add_columns(people).group_by(Theme.id, Theme.name, Theme.kind)
        )
    )
    service = _service_of_field(catalogue().in_surveys(scope.surveys))
    if service is None:  # no service is asked about: every comment is a general one
        return ThemeCounts(overall, {GENERAL: overall} if overall else {})
    # Grouped by the label, not the expression: PostgreSQL would see the CASE in the select
    # list and in GROUP BY as different expressions (each has its own bound parameters).
    statement = base.add_columns(service.label(_SERVICE_LABEL), people).group_by(
        Theme.id, Theme.name, Theme.kind, _SERVICE_LABEL
    )
    by_service: dict[str, list[ThemeCount]] = {}
    for theme_id, name, kind, key, count in db.session.execute(statement):
        by_service.setdefault(key or GENERAL, []).append(ThemeCount(theme_id, name, kind, count))
    return ThemeCounts(overall, {key: _ordered(counts) for key, counts in by_service.items()})


_SERVICE_LABEL = "comment_service"  # not "service": the themes table has a column of that name


def _service_of_field(fields: list[CommentField]):
    """A SQL expression: the service key a coding's field is about, or GENERAL."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for f in fields:
        if f.scope != GENERAL:
            grouped.setdefault((f.survey, f.scope), []).append(f.field)
    if not grouped:
        return None
    return case(
        *[
            (and_(Response.survey_slug == slug, CommentCoding.field.in_(names)), key)
            for (slug, key), names in grouped.items()
        ],
        else_=GENERAL,
    )


def _ordered(counts: Iterable[ThemeCount]) -> tuple[ThemeCount, ...]:
    """Most people first, then by name (raw order: protect before showing)."""
    return tuple(sorted(counts, key=lambda c: (-c.count, c.name.casefold(), c.theme_id)))
