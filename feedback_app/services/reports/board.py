"""The board summary: one period on two screens, for a partnership board.

* Responses in the period and in the previous period of the same kind (a quarter and the
  one before it, a year and the year before), each the dashboard's own protected total.
* Per service, "felt listened to" and "felt safer" (the share answering "Yes"), the very
  cells of the dashboard for the same filters (``dashboard.dashboard``, so whatever
  disclosure control the dashboard applies, this page gets), with the change since the
  previous period in percentage points only when both percentages are shown.
* The top themes of what helped and of what could be better, per audience (as in the
  themed summary: a count over every audience less one audience's would give the others'),
  with their counts in the previous period; primary suppression, real responses deciding.
* Responses by way of filling in (online, 1:1 with a support worker) and by area, each by
  audience, as two-way tables protected in rows, columns and totals (``figures.cross_tab``).
  Both are always for every audience, whatever audience is chosen: a table for one audience
  next to the one for all would give the rest by subtraction. Their audience totals are
  protected as the themed summary's responses by audience are, and hidden alike.

Numbers, keys and cells only: wording and HTML ids are the presenter's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select

from ...extensions import db
from ...models import Response
from ...surveys.registry import all_surveys
from ..figures import cross_counts, periods, query_sets
from ..figures.cross_tab import TOTAL, CrossTab, protect_cross_tab
from ..figures.dashboard import Dashboard, dashboard, for_figures
from ..figures.disclosure import Cell, DisclosureRules, protect_count, protect_table
from ..figures.filters import Filters, filter_options, surveys_in_scope
from ..figures.periods import Period
from ..insight import theme_counts
from ..insight.catalogue import HELPFUL, IMPROVEMENT
from ..insight.theme_counts import ThemeCount
from .themed_summary import (
    AUDIENCE_TITLES,
    DEMO_ALL,
    DEMO_EXCLUDED,
    DEMO_INCLUDED,
    DEMO_NONE,
    DemoNote,
    whole_percent,
)

SCALES = ("listened", "safer")
POSITIVE = "yes"
TOP_THEMES = 3

# How a number moved since the previous period (``Change.kind``).
UP = "up"
DOWN = "down"
SAME = "same"
NOT_COMPARABLE = "not_comparable"  # one side (or both) is not shown


@dataclass(frozen=True)
class Change:
    kind: str
    amount: int = 0  # percentage points, or people; always positive


@dataclass(frozen=True)
class Comparison:
    """One figure this period and last; ``change`` is None when there is no previous period."""

    now: Cell | None  # None: not asked
    before: Cell | None
    change: Change | None


@dataclass(frozen=True)
class ServiceRow:
    key: str
    label: str
    mentions: Cell
    scales: dict  # "listened" / "safer" -> Comparison (only those asked)

    @property
    def has_percent(self) -> bool:
        return any(c.now.percent for c in self.scales.values())


@dataclass(frozen=True)
class ThemeRow:
    name: str  # typed by a coordinator: shown through autoescaping
    counts: Comparison


@dataclass(frozen=True)
class AudienceThemes:
    audience: str
    helpful: tuple[ThemeRow, ...]
    improvement: tuple[ThemeRow, ...]


@dataclass(frozen=True)
class Board:
    period: Period
    previous: Period | None  # None for all time or a custom range
    audience: str | None
    include_demo: bool
    threshold: int
    percent_base_min: int
    responses: Comparison
    too_few: bool  # too few responses this period to break down
    services: tuple[ServiceRow, ...]  # with a percentage shown (charted)
    other_services: tuple[ServiceRow, ...]  # shown, but too few for any percentage
    themes: tuple[AudienceThemes, ...]
    modes: CrossTab  # rows: cross_counts.ONLINE, ONE_TO_ONE; columns: audiences
    areas: CrossTab  # rows: areas and NOT_ANSWERED; columns: audiences asked their area
    audiences_without_area: tuple[str, ...]
    demo: DemoNote
    unreadable: int


def previous_period(period: Period) -> Period | None:
    """The period of the same kind just before ``period``: the quarter before a quarter, the
    year before a year; None for all time and for a custom range."""
    try:
        if period.kind == periods.QUARTER:
            return periods.quarter_of(date.fromordinal(period.start.toordinal() - 1))
        if period.kind == periods.YEAR:
            return periods.financial_year(period.year - 1)
    except periods.PeriodError:  # before the first financial year offered
        return None
    return None


def latest_quarter_with_responses(fallback: Period, include_demo: bool = True) -> Period:
    """The quarter of the latest response up to the end of ``fallback`` (the last complete
    quarter), or ``fallback`` itself when there is none."""
    statement = select(func.max(Response.submitted_week)).where(
        Response.submitted_week <= fallback.end, Response.survey_slug.in_(tuple(all_surveys()))
    )
    if not include_demo:
        statement = statement.where(Response.is_demo.is_(False))
    latest = db.session.execute(statement).scalar()
    if latest is None:
        return fallback
    if isinstance(latest, str):  # SQLite may hand back the ISO text
        latest = date.fromisoformat(latest)
    return periods.quarter_of(latest)


def board(period: Period, audience: str | None, include_demo: bool, rules: DisclosureRules) -> Board:
    """The board summary for ``period`` (and ``audience``, or every audience), protected."""
    previous = previous_period(period)
    now = dashboard(Filters(audience=audience, period=period, include_demo=include_demo), rules)
    before = (
        dashboard(Filters(audience=audience, period=previous, include_demo=include_demo), rules) if previous else None
    )
    modes = cross_counts.by_mode(period)
    audiences = _audiences()
    audience_totals = _audience_totals(period, audiences, include_demo, rules)
    mode_table = _cross_tab(modes, audiences, include_demo, rules, audience_totals, period, "collection_mode")
    areas = cross_counts.by_area(period, include_demo) if not now.empty else None
    asked = [a for a in audiences if any(_audience_of(slug) == a for slug in areas.surveys)] if areas else []
    area_table = (
        _cross_tab(areas, asked, include_demo, rules, audience_totals, period, "area")
        if areas
        else protect_cross_tab({}, (), (), rules)
    )
    services = _services(now, before)
    shown_audiences = [
        a for a in audiences
        if (audience is None or a == audience) and not audience_totals[a].suppressed and audience_totals[a].value
    ]
    return Board(
        period=period,
        previous=previous,
        audience=audience,
        include_demo=include_demo,
        threshold=rules.threshold,
        percent_base_min=rules.percent_base_min,
        responses=Comparison(now.total, before.total if before else None, _count_change(now.total, before)),
        too_few=now.too_few or now.empty,
        services=tuple(s for s in services if s.has_percent),
        other_services=tuple(s for s in services if not s.has_percent),
        themes=tuple(_themes(a, period, previous, include_demo, rules) for a in shown_audiences),
        modes=mode_table,
        areas=area_table,
        audiences_without_area=tuple(a for a in audiences if a not in asked),
        demo=_demo_note(modes, include_demo),
        unreadable=now.unreadable,
    )


# -- responses and services ----------------------------------------------------------------


def _count_change(now: Cell, before: Dashboard | None) -> Change | None:
    if before is None:
        return None
    return _change(now.value if not now.suppressed else None, before.total.value if not before.total.suppressed else None)


def _change(now: int | None, before: int | None) -> Change:
    """The change between two shown numbers; "not comparable" when either is hidden."""
    if now is None or before is None:
        return Change(NOT_COMPARABLE)
    if now == before:
        return Change(SAME)
    return Change(UP if now > before else DOWN, abs(now - before))


def _positive(figure) -> Cell | None:
    return next((row.cell for row in figure.rows if row.key == POSITIVE), None)


def _scales(service) -> dict[str, Cell]:
    return {scale.key: cell for scale in service.scales if scale.key in SCALES and (cell := _positive(scale))}


def _services(now: Dashboard, before: Dashboard | None) -> tuple[ServiceRow, ...]:
    """Services whose number of responses is shown, as the dashboard lists them."""
    earlier = {s.key: _scales(s) for s in before.service_figures} if before else {}
    rows = []
    for service in now.service_figures:
        current = _scales(service)
        if not current:
            continue
        past = earlier.get(service.key, {})
        scales = {}
        for question in SCALES:
            if question not in current:
                continue
            cell, old = current[question], past.get(question)
            change = None
            if before is not None:
                change = _change(
                    whole_percent(cell.share) if cell.percent else None,
                    whole_percent(old.share) if old is not None and old.percent else None,
                )
            scales[question] = Comparison(cell, old, change)
        rows.append(ServiceRow(service.key, service.label, service.mentions, scales))
    return tuple(rows)


# -- themes -------------------------------------------------------------------------------


def _audiences() -> list[str]:
    found = list(dict.fromkeys(s.audience for s in all_surveys().values()))
    return sorted(found, key=lambda a: list(AUDIENCE_TITLES).index(a) if a in AUDIENCE_TITLES else len(AUDIENCE_TITLES))


def _audience_of(slug: str) -> str:
    return all_surveys()[slug].audience


def _theme_cells(audience: str, period: Period, include_demo: bool, rules: DisclosureRules) -> dict[int, tuple[str, str, Cell]]:
    """{theme id: (name, kind, protected count)} for one audience and period."""
    surveys = surveys_in_scope(Filters(audience=audience))
    scope = theme_counts.Scope(surveys=tuple(s.slug for s in surveys), period=period, include_demo=include_demo)
    counts: tuple[ThemeCount, ...] = theme_counts.count_themes(scope).overall
    real = (
        {c.theme_id: c.count for c in theme_counts.count_themes(replace(scope, include_demo=False)).overall}
        if include_demo
        else {c.theme_id: c.count for c in counts}
    )
    return {
        c.theme_id: (c.name, c.kind, protect_count(real.get(c.theme_id, 0), rules, shown=c.count))
        for c in counts
        if c.count
    }


def _themes(audience, period, previous, include_demo, rules) -> AudienceThemes:
    now = _theme_cells(audience, period, include_demo, rules)
    before = _theme_cells(audience, previous, include_demo, rules) if previous else None
    by_kind = {}
    for kind in (HELPFUL, IMPROVEMENT):
        rows = []
        for theme_id, (name, theme_kind, cell) in now.items():
            if theme_kind != kind:
                continue
            if before is None:
                rows.append(ThemeRow(name, Comparison(cell, None, None)))
                continue
            old = before[theme_id][2] if theme_id in before else protect_count(0, rules)
            change = _change(None if cell.suppressed else cell.value, None if old.suppressed else old.value)
            rows.append(ThemeRow(name, Comparison(cell, old, change)))
        # Shown counts by size, hidden ones after them by name: the order never hints at a
        # hidden number.
        rows.sort(key=lambda r: (r.counts.now.suppressed, -(r.counts.now.value or 0), r.name.casefold()))
        by_kind[kind] = tuple(rows[:TOP_THEMES])
    return AudienceThemes(audience, by_kind[HELPFUL], by_kind[IMPROVEMENT])


# -- the two-way tables ---------------------------------------------------------------------


def _audience_totals(period: Period, audiences, include_demo, rules) -> dict[str, Cell]:
    """Responses by audience, each as the dashboard's view of that audience shows it (as
    the themed summary shows them)."""
    return {
        a: dashboard(Filters(audience=a, period=period, include_demo=include_demo), rules).total for a in audiences
    }


def _cross_tab(
    counts: cross_counts.Counts, audiences, include_demo, rules, audience_totals, period: Period, dimension: str
) -> CrossTab:
    def by_audience(source):
        summed = Counter()
        for (row, slug), count in source.items():
            summed[(row, _audience_of(slug))] += count
        return summed

    real = by_audience(counts.real)
    printed = by_audience(counts.everyone if include_demo else counts.real)
    return protect_cross_tab(
        real,
        counts.rows,
        audiences,
        rules,
        column_totals={a: audience_totals[a] for a in audiences},
        shown=printed,
        narrowed=_narrowed_views(counts.rows, audiences, period, dimension, rules),
    )


def _narrowed_views(rows, audiences, period: Period, dimension: str, rules: DisclosureRules) -> set:
    """The cells of a two-way table that are the total of a dashboard view (a row's value
    of ``dimension``, with or without an audience) which query-set control hides there."""
    values = {
        "collection_mode": {cross_counts.ONLINE},
        "area": {option.value for option in filter_options().areas},
    }[dimension]
    hidden = set()
    for row in rows:
        if row not in values:
            continue  # "1:1" is two ways of filling in together: not one view
        for column in (*audiences, TOTAL):
            view = Filters(period=period, include_demo=False, audience=None if column == TOTAL else column)
            view = replace(view, **{dimension: row})
            if query_sets.total_narrowed(for_figures(view), rules.threshold):
                hidden.add((row, column))
    return hidden


def _demo_note(modes: cross_counts.Counts, include_demo: bool) -> DemoNote:
    """Whether the period holds demo responses and whether they count; never how many."""
    if not modes.has_demo:
        return DemoNote(DEMO_NONE)
    if not include_demo:
        return DemoNote(DEMO_EXCLUDED)
    return DemoNote(DEMO_INCLUDED if sum(modes.real.values()) else DEMO_ALL)

