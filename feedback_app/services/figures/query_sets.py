"""Query-set control: no two views of the figures can be subtracted to count 1 to 4 people.

A *view* is one set of filters (``Filters``): the dashboard shows one, each audience of the
themed summary is one. When a view's responses lie inside a wider view's, the difference
between the same figure in both counts the people in the wider view and not the narrower
one. If that difference could be 1 to ``threshold - 1``, the narrower view's figure is
hidden ("not shown", reason ``NARROWED``), exactly as if it were small itself.

Which views hold a view's responses (its *wider views*)? A wider view's every filter must
hold for all of them, and its period must cover the weeks they arrived in. So, from the
view's own responses (real ones: demo responses never decide what is shown):

* the filters it has, plus any that its responses happen to share (all from one survey, all
  in Polish, all online, all in one area, all mentioning the police);
* any subset of those, at most one service (a view filters by one service);
* any period made of whole quarters that covers the quarters its responses arrived in:
  custom ranges are widened to whole quarters (``periods.whole_quarters``), so periods are
  runs of quarters, and every run covering those quarters is checked.

For each figure (a *cell*: the total, one row of one table) shown in the view, its count in
every wider view, minus its count in the view, must be 0 or at least the threshold. The
wider view's count over a longer run of quarters is its count over the view's own quarters
plus the counts of the quarters added on either side; only the nearest quarters matter
(once the added counts reach the threshold, adding more cannot bring them back under it).

What this does not cover, and ``disclosure`` does, table by table: cells of one view that add
up to its total. What neither covers: three or more views that add up to a fourth (the
audiences of a period and the period as a whole); see the README's "Disclosure control".

Raw counts only; ``dashboard.protect`` turns the cells named here into hidden cells.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations

from flask import current_app

from . import periods, stamp
from . import totals as totals_module
from .cache import DEFAULT_SIZE, LRUCache, aggregate_cache
from .counting import Aggregates, compute
from ...surveys.registry import all_surveys
from .filters import Filters, filter_options

CellKey = tuple[Hashable, ...]
TOTAL: CellKey = ("total",)
ANSWERED = "_answered"  # the row key of a multi-choice table's "answered at least one"

# The filters on one value each; survey and audience are chosen together (see ``_groups``).
VALUE_DIMENSIONS = ("language", "collection_mode", "area")
SERVICE = "service"
CACHE_KEY = "feedback_narrowed_cache"
TOTALS_CACHE_KEY = "feedback_totals_cache"


def cells(figures: Aggregates) -> dict[CellKey, int]:
    """Every count ``figures`` can show, by a key that names the same figure in any view."""
    found: dict[CellKey, int] = {TOTAL: figures.total}
    for row in figures.by_survey.rows:
        found[("survey", row.key)] = row.count
    for breakdown in (*figures.splits, figures.services, *figures.choices):
        for row in breakdown.rows:
            found[(breakdown.question, row.key)] = row.count
        if breakdown.multi:
            found[(breakdown.question, ANSWERED)] = breakdown.total
    for feedback in figures.service_feedback:
        for scale in feedback.scales:
            for row in scale.rows:
                found[("scale", feedback.key, scale.question, row.key)] = row.count
    for quarter in figures.trend:
        found[("trend", quarter.period.token)] = quarter.count
    return found


def narrowed_cells(filters: Filters, threshold: int) -> frozenset[CellKey]:
    """The cells of the view ``filters`` that a wider view would give away; cached with the
    figures while the responses do not change."""
    real = replace(filters, include_demo=False)
    if real == Filters(include_demo=False):
        return frozenset()  # every response, all time: any view holding them all is this one
    return _cached(("cells", real, threshold), lambda totals: _narrowed(real, threshold, totals))


def total_narrowed(filters: Filters, threshold: int) -> bool:
    """Whether a wider view would give away the total of the view ``filters`` (the view is
    then not shown at all): ``TOTAL in narrowed_cells(...)``, from counts of responses only."""
    real = replace(filters, include_demo=False)
    return _cached(("total", real, threshold), lambda totals: _total_narrowed(real, threshold, totals))


def _cached(key: tuple, work: Callable[[totals_module.Totals], object]):
    current = stamp.read()
    if current is None:  # a change is being written: right now, not to be kept
        return work(totals_module.read())
    cache = narrowed_cache()
    # A cache of its own: one check reads many views, which would push the answers out of
    # the figures' cache.
    return cache.get_or_compute(
        (*key, current), lambda: work(totals_cache().get_or_compute(current, totals_module.read))
    )


def narrowed_cache() -> LRUCache:
    return _dependent_cache(CACHE_KEY, DEFAULT_SIZE)


def totals_cache() -> LRUCache:
    """The grouped counts (a few MB per quarter read) of the latest state of the responses
    only: older ones are of no more use once the responses change."""
    return _dependent_cache(TOTALS_CACHE_KEY, 1)


def _dependent_cache(name: str, size: int) -> LRUCache:
    cache = current_app.extensions.get(name)
    if cache is None:
        cache = current_app.extensions.setdefault(name, LRUCache(size))
        aggregate_cache().dependents.append(cache)  # cleared with the figures it comes from
    return cache


def _narrowed(view: Filters, threshold: int, totals: totals_module.Totals) -> frozenset[CellKey]:
    if _total_narrowed(view, threshold, totals):
        return frozenset({TOTAL})  # the view is not shown at all
    figures = compute(view)
    own = {key: count for key, count in cells(figures).items() if count >= threshold}
    if not own:
        return frozenset()  # nothing shown that is not hidden already
    profile = _profile(view, totals)
    quarters = sorted(quarter for quarter, count in profile.by_quarter.items() if count)
    if not quarters:
        return frozenset()
    first, last = periods.quarter_of(quarters[0]), periods.quarter_of(quarters[-1])
    narrowed: set[CellKey] = set()
    for wider in wider_views(view, profile):
        sides = _Sides(wider, first, last, totals)
        # Holding the view's responses and as many, over its quarters: the same responses,
        # so every figure there is the view's own (a difference of 0).
        same = _total(replace(wider, period=_run(first, last)), totals) == figures.total
        wider_cells = own if same else _cells(replace(wider, period=_run(first, last)), totals)
        for key, count in own.items():
            if key in narrowed or key not in wider_cells:
                continue
            if _reveals(wider_cells[key] - count, sides.before(key), sides.after(key), threshold):
                narrowed.add(key)
    return frozenset(narrowed)


def _total_narrowed(view: Filters, threshold: int, totals: totals_module.Totals) -> bool:
    profile = _profile(view, totals)
    if profile.total < threshold:
        return False  # hidden already as a small number
    quarters = sorted(quarter for quarter, count in profile.by_quarter.items() if count)
    first, last = periods.quarter_of(quarters[0]), periods.quarter_of(quarters[-1])
    for wider in wider_views(view, profile):
        sides = _Sides(wider, first, last, totals)
        run = _total(replace(wider, period=_run(first, last)), totals)
        if _reveals(run - profile.total, sides.before(TOTAL), sides.after(TOTAL), threshold):
            return True
    return False


def wider_views(view: Filters, profile: totals_module.Profile) -> Iterator[Filters]:
    """Every set of filters (period left as it is) that holds all of the view's responses
    (``profile``), the view's own included."""
    shared = dict(_shared_values(view, profile))
    services = shared.pop(SERVICE, ())
    names = list(shared)
    seen = set()
    for group in _groups(profile):
        for size in range(len(names) + 1):
            for kept in combinations(names, size):
                base = replace(view, **group, **{name: shared[name] if name in kept else None for name in names})
                for service in (None, *services):
                    wider = replace(base, service=service)
                    if wider not in seen:
                        seen.add(wider)
                        yield wider


def _groups(profile: totals_module.Profile) -> list[dict[str, str | None]]:
    """Survey and audience filters that hold all the view's responses."""
    slugs = [slug for slug, count in profile.by_survey.items() if count]
    surveys = all_surveys()
    groups: list[dict[str, str | None]] = [{"survey": None, "audience": None}]
    audiences = {surveys[slug].audience for slug in slugs if slug in surveys}
    if len(audiences) == 1:
        groups.append({"survey": None, "audience": audiences.pop()})
    if len(slugs) == 1:
        groups.append({"survey": slugs[0], "audience": None})
    return groups


def _shared_values(view: Filters, profile: totals_module.Profile) -> Iterator[tuple[str, object]]:
    """The filters on one value that every response of the view passes: those set, and
    those its responses happen to share."""
    by_dimension = {"language": profile.by_language, "collection_mode": profile.by_mode, "area": profile.by_area}
    for name in VALUE_DIMENSIONS:
        value = getattr(view, name) or _common_value(by_dimension[name], profile.total)
        if value:
            yield name, value
    mentioned = {key for key, count in profile.by_service.items() if count == profile.total}
    if view.service:
        mentioned.add(view.service)
    yield SERVICE, tuple(sorted(mentioned))


def _common_value(counts: Counter, total: int) -> str | None:
    """The value every response has, if there is one (None: no value given)."""
    for value, count in counts.items():
        if count == total and value is not None:
            return value
    return None


def _profile(view: Filters, totals: totals_module.Totals) -> totals_module.Profile:
    """The view's profile from the grouped totals, or, for a period that is not whole
    quarters, by counting its responses (a view the pages never show: they widen periods)."""
    found = totals.profile(view)
    if found is not None:
        return found
    figures = compute(view)
    options = filter_options()
    by_value = {
        name: Counter({value: compute(replace(view, **{name: value})).total for value in values})
        for name, values in (
            ("language", options.languages),
            ("collection_mode", options.collection_modes),
            ("area", tuple(option.value for option in options.areas)),
        )
    }
    return totals_module.Profile(
        by_quarter=Counter({q.period.start: q.count for q in figures.trend if q.count}),
        by_survey=Counter({row.key: row.count for row in figures.by_survey.rows}),
        by_language=by_value["language"],
        by_mode=by_value["collection_mode"],
        by_area=by_value["area"],
        by_service=Counter({row.key: row.count for row in figures.services.rows}),
    )


def _cells(view: Filters, totals: totals_module.Totals) -> dict[CellKey, int]:
    """``cells`` of the view, from the grouped counts when they can tell."""
    figures = totals.figures(view)
    return cells(figures if figures is not None else compute(view))


def _total(view: Filters, totals: totals_module.Totals) -> int:
    found = totals.profile(view)
    return found.total if found is not None else compute(view).total


def _run(first: periods.Period, last: periods.Period) -> periods.Period:
    """The run of whole quarters from ``first`` to ``last``."""
    return periods.Period(periods.RANGE, first.start, last.end)


class _Sides:
    """A wider view's cells quarter by quarter, outward from the view's own quarters, read
    only as far as a check needs them: its total from the grouped totals, other cells by
    counting that quarter (skipped when it holds no response)."""

    def __init__(self, wider: Filters, first: periods.Period, last: periods.Period, totals: totals_module.Totals) -> None:
        held = totals.quarters
        self._before = _Quarters(wider, first, held[0] if held else None, -1, totals)
        self._after = _Quarters(wider, last, held[-1] if held else None, 1, totals)

    def before(self, key: CellKey) -> Callable[[int], int | None]:
        return lambda index: self._before.count(index, key)

    def after(self, key: CellKey) -> Callable[[int], int | None]:
        return lambda index: self._after.count(index, key)


class _Quarters:
    """The quarters beyond ``edge`` (not including it) going one way (``step``), up to the
    quarter starting on ``limit``."""

    def __init__(self, wider: Filters, edge: periods.Period, limit: date | None, step: int, totals: totals_module.Totals) -> None:
        self.wider, self.limit, self.step, self.totals = wider, limit, step, totals
        self._quarters: list[periods.Period] = []
        self._totals: list[int] = []
        self._cells: dict[int, Mapping[CellKey, int]] = {}
        self._current = edge

    def count(self, index: int, key: CellKey) -> int | None:
        """The count of ``key`` in the ``index``-th quarter out (0: the nearest); None past
        the last quarter holding responses."""
        while len(self._quarters) <= index:
            quarter = self._next(self._current)
            if quarter is None:
                return None
            self._current = quarter
            self._quarters.append(quarter)
            self._totals.append(_total(replace(self.wider, period=quarter), self.totals))
        if key == TOTAL or not self._totals[index]:
            return self._totals[index] if key == TOTAL else 0
        if index not in self._cells:
            self._cells[index] = _cells(replace(self.wider, period=self._quarters[index]), self.totals)
        return self._cells[index].get(key, 0)

    def _next(self, quarter: periods.Period) -> periods.Period | None:
        if self.limit is None:
            return None
        if self.step > 0:
            following = periods.next_quarter(quarter)
            return following if following.start <= self.limit else None
        previous = periods.quarter_of(quarter.start - timedelta(days=1))
        return previous if previous.start >= self.limit else None


def _reveals(difference: int, before: Callable[[int], int | None], after: Callable[[int], int | None], threshold: int) -> bool:
    """Whether ``difference`` plus the counts of some quarters added before and after (the
    nearest first, in runs) can be 1 to ``threshold - 1``."""
    if 0 < difference < threshold:
        return True
    if difference >= threshold:
        return False
    added_before = 0
    index_before = -1
    while True:
        added_after = 0
        index_after = -1
        while True:
            total = difference + added_before + added_after
            if total >= threshold:
                break
            if total > 0:
                return True
            index_after += 1
            more = after(index_after)
            if more is None:
                break
            added_after += more
        if difference + added_before >= threshold:
            return False
        index_before += 1
        more = before(index_before)
        if more is None:
            return False
        added_before += more
