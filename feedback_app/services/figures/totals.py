"""How many real responses any view holds, quarter by quarter, from one reading of them.

Query-set control (``query_sets``) asks many questions of one kind: how many responses does
this view hold, and that one with a filter dropped, and in the quarter before? Each would be a
pass over the responses. Instead, one pass per quarter (``count_fact_groups``, made when a
question first needs that quarter) groups its real responses by survey, language, way of
filling in and area, and counts in each group how many mention each service. A view's
numbers are then sums over the groups (``Totals.profile``): its total per quarter, and how
its responses divide by survey, language, way of filling in, area and services mentioned
(for a view of one service, which others its responses mention), which is what "the values
its responses share" needs. The same pass counts each group's fact tokens (split by area),
so the figures of a view that does not filter by a service (``Totals.figures``) are sums too:
what query-set control reads for the quarters beside a view.

Only real responses (demo responses never decide what is shown) and only periods made of
whole quarters (or open-ended): a view with another period, or counting demo responses, gets
``None`` and its caller counts it the ordinary way. Cached with the figures: the key holds the
responses' stamp, and the cache is cleared with theirs.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import permutations

from sqlalchemy import String, select, type_coerce

from ...extensions import db
from ...models import Response

from ..responses.facts import single_token
from ..responses.store import count_fact_groups
from . import periods
from .counting import Aggregates, from_counted
from .filters import AREA_QUESTION, Filters, filter_options, split_service_key, surveys_in_scope, where_metadata

_GroupKey = tuple[str, str, str, date, str | None]  # survey, language, mode, quarter start, area

MEMO_SIZE = 4096  # profiles kept per reading (one reading per state of the responses)


@dataclass
class _Group:
    total: int = 0
    services: Counter[str] = field(default_factory=Counter)  # service key -> responses mentioning it
    # (service, other service) -> responses mentioning both, each pair both ways round
    together: Counter[tuple[str, str]] = field(default_factory=Counter)


@dataclass(frozen=True)
class Profile:
    """A view's real responses: how many in each quarter (by its first day), and how they
    divide by the filters a wider view could add."""

    by_quarter: Counter[date]
    by_survey: Counter[str]
    by_language: Counter[str]
    by_mode: Counter[str]
    by_area: Counter[str | None]  # None: no area given (or not asked)
    by_service: Counter[str]  # responses mentioning each service

    @property
    def total(self) -> int:
        return sum(self.by_quarter.values())


class Totals:
    """Grouped counts of the real responses, read a quarter at a time when first needed
    (a quarter's view and its neighbours read three quarters, not every one)."""

    def __init__(self, quarters: tuple[date, ...]) -> None:
        self.quarters = quarters  # the first day of each quarter holding a real response
        self._read: dict[date, _Quarter] = {}
        self._memo: dict[Hashable, Profile] = {}
        self._figures: dict[Hashable, Aggregates] = {}
        self._lock = threading.Lock()

    def profile(self, view: Filters) -> Profile | None:
        """``view``'s profile, or None if it cannot be told from the groups (a period that is
        not whole quarters, or demo responses counted)."""
        if view.include_demo or not _whole_quarters(view.period):
            return None
        return _remembered(self._memo, view, self._sum)

    def figures(self, view: Filters) -> Aggregates | None:
        """``compute(view)`` from the quarters' counted facts, or None if they cannot tell
        (besides ``profile``'s cases: a view of one service, whose responses are not kept
        apart there)."""
        if view.include_demo or view.service or not _whole_quarters(view.period):
            return None
        return _remembered(self._figures, view, self._count)

    def _quarter(self, quarter: date) -> _Quarter:
        with self._lock:  # one reading per quarter, whichever request asks first
            if quarter not in self._read:
                self._read[quarter] = _read_quarter(quarter)
            return self._read[quarter]

    def _groups(self, quarter: date) -> list[tuple[_GroupKey, _Group]]:
        return self._quarter(quarter).groups

    def _in_period(self, view: Filters) -> list[date]:
        start, end = view.period.start, view.period.end
        return [q for q in self.quarters if (start is None or q >= start) and (end is None or q <= end)]

    def _count(self, view: Filters) -> Aggregates:
        slugs = {survey.slug for survey in surveys_in_scope(view)}
        tokens: dict[str, Counter[bytes]] = {slug: Counter() for slug in slugs}
        responses: Counter[str] = Counter()
        weeks: Counter[date] = Counter()
        for quarter in self._in_period(view):
            for (slug, language, mode, area), (held, counted) in self._quarter(quarter).tokens:
                if not _passes(view, slugs, slug, language, mode, area):
                    continue
                tokens[slug].update(counted)
                responses[slug] += held
                weeks[quarter] += held
        return from_counted(view, tokens, responses, weeks)

    def _sum(self, view: Filters) -> Profile:
        slugs = {survey.slug for survey in surveys_in_scope(view)}
        profile = Profile(Counter(), Counter(), Counter(), Counter(), Counter(), Counter())
        for quarter in self._in_period(view):
            for (slug, language, mode, _quarter, area), group in self._groups(quarter):
                if not _passes(view, slugs, slug, language, mode, area):
                    continue
                count = group.services[view.service] if view.service else group.total
                if not count:
                    continue
                profile.by_quarter[quarter] += count
                profile.by_survey[slug] += count
                profile.by_language[language] += count
                profile.by_mode[mode] += count
                profile.by_area[area] += count
                if view.service:
                    profile.by_service[view.service] += count
                    for (first, second), both in group.together.items():
                        if first == view.service:
                            profile.by_service[second] += both
                else:
                    profile.by_service.update(group.services)
        return profile


def read() -> Totals:
    """The quarters holding real responses (their weeks, from the database's metadata); each
    is grouped when first needed."""
    weeks = db.session.execute(
        select(type_coerce(Response.submitted_week, String)).where(Response.is_demo.is_(False)).distinct()
    ).scalars()
    return Totals(tuple(sorted({_quarter_start(week) for week in weeks})))


def _quarter_start(raw_week) -> date:
    week = date.fromisoformat(raw_week) if isinstance(raw_week, str) else raw_week
    return periods.quarter_of(week).start


@dataclass
class _Quarter:
    """One quarter's real responses, grouped."""

    groups: list[tuple[_GroupKey, _Group]]
    # (survey, language, mode, area) -> (responses, their fact tokens counted)
    tokens: list[tuple[tuple[str, str, str, str | None], tuple[int, Counter[bytes]]]]


def _read_quarter(quarter: date) -> _Quarter:
    """Group the real responses of one quarter (one pass over their facts)."""
    options = filter_options()
    areas = {single_token(AREA_QUESTION, option.value).encode(): option.value for option in options.areas}
    services = {single_token(*split_service_key(option.value)).encode(): option.value for option in options.services}
    surveys = surveys_in_scope(Filters())
    slugs = [survey.slug for survey in surveys]
    scope = Filters(period=periods.quarter_of(quarter), include_demo=False)
    counted = count_fact_groups(
        surveys,
        lambda statement: where_metadata(statement, scope, slugs),
        keep=[token.decode() for token in (*areas, *services)],
        split_by=[token.decode() for token in areas],
    )
    # Responses that do not open are counted nowhere, as in ``counting`` (which logs them).
    groups: dict[_GroupKey, _Group] = {}
    for (slug, language, mode, kept), count in counted.counts.items():
        area = next((areas[token] for token in kept if token in areas), None)
        group = groups.get(key := (slug, language, mode, quarter, area))
        if group is None:
            group = groups[key] = _Group()
        group.total += count
        mentioned = [services[token] for token in kept if token in services]
        for service in mentioned:
            group.services[service] += count
        for pair in permutations(mentioned, 2):
            group.together[pair] += count
    tokens = []
    for (slug, language, mode, held), found in counted.tokens.items():
        area = next((areas[token] for token in held), None)
        responses = groups[(slug, language, mode, quarter, area)].total
        tokens.append(((slug, language, mode, area), (responses, found)))
    return _Quarter(list(groups.items()), tokens)


def _passes(view: Filters, slugs: set[str], slug: str, language: str, mode: str, area: str | None) -> bool:
    """Whether a group's responses pass the view's filters (all but period and service)."""
    return (
        slug in slugs
        and (not view.language or language == view.language)
        and (not view.collection_mode or mode == view.collection_mode)
        and (not view.area or area == view.area)
    )


def _remembered(memo: dict, view: Filters, work):
    """``work(view)``, kept in ``memo`` (emptied when full: one state of the data only)."""
    found = memo.get(view)
    if found is None:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        found = memo[view] = work(view)
    return found


def _whole_quarters(period: periods.Period) -> bool:
    """Whether ``period`` is a run of whole quarters (either end may be open)."""
    if period.start is not None and periods.quarter_of(period.start).start != period.start:
        return False
    if period.end is not None and periods.quarter_of(period.end).end != period.end:
        return False
    return True


def without_period(view: Filters) -> Filters:
    return replace(view, period=periods.ALL_TIME)
