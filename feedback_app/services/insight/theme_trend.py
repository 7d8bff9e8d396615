"""Theme counts per quarter, as a trend: for each audience and theme, how many people's
comments were coded with the theme in each of the last few financial-year quarters.

These numbers leave the coding queue (a coordinator may copy them into a report), so they
are protected like the themed summary's theme tables, and each cell is the very number the
summary would show for that quarter, audience and theme ("across all comments"):

* **Primary suppression**: a count from 1 to 4 reads "fewer than 5" (the configured
  threshold); zero is shown.
* **Quarters add up to their financial year** (a response is dated by one week, so it is in
  one quarter), and the summary shows the year's count. A theme's quarters of one financial
  year are therefore protected as an additive table whose total is the year's count
  (``disclosure.protect_table``): where a hidden quarter could be worked out from the
  year's figure and the quarters shown, another quarter is hidden too. Quarters of that
  year outside the trend are counted in, and never picked to be hidden (the summary shows
  them for themselves). If the year's count is itself small, each quarter is already small
  or zero and primary suppression is enough.
* **Audiences are kept apart**, as in the summary: a count over every audience minus the
  summary's count for one would give the others'.
* **Demo responses**: with them counted in, the real responses alone decide what is hidden,
  and the demo-inclusive numbers are printed where a cell is shown (as everywhere else).

Counted in SQL from codings and response metadata: nothing here decrypts anything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, func, select

from ...extensions import db
from ...models import THEME_KINDS, CommentCoding, Response, Theme
from ...surveys.registry import all_surveys
from ..figures import periods
from ..figures.disclosure import PROTECTING, WITHHELD, Cell, DisclosureRules, protect_count, protect_table

QUARTERS_SHOWN = 8


@dataclass(frozen=True)
class TrendRow:
    theme_id: int
    name: str
    is_active: bool
    cells: tuple[Cell, ...]  # one per quarter of the trend, oldest first


@dataclass(frozen=True)
class TrendTable:
    audience: str
    kind: str  # "helpful" | "improvement"
    rows: tuple[TrendRow, ...]


@dataclass(frozen=True)
class ThemeTrend:
    quarters: tuple[periods.Period, ...]  # oldest first; the last is the current quarter
    tables: tuple[TrendTable, ...]  # by audience (surveys' order), then kind
    include_demo: bool
    has_demo: bool  # demo responses are counted in (never how many)
    threshold: int
    protecting: bool  # a cell is hidden to protect another


# (audience, theme id, financial year, quarter number) -> people, real only and with demo
_Counts = dict[tuple[str, int, int, int], int]


def _count(first: date, last: date) -> tuple[_Counts, _Counts, dict[int, Theme]]:
    audience_of = {slug: survey.audience for slug, survey in all_surveys().items()}
    statement = (
        select(
            Response.survey_slug,
            CommentCoding.theme_id,
            Response.submitted_week,
            Response.is_demo,
            func.count(distinct(CommentCoding.response_id)),
        )
        .join(Response, Response.id == CommentCoding.response_id)
        .where(
            Response.submitted_week >= first,
            Response.submitted_week <= last,
            Response.survey_slug.in_(tuple(audience_of)),
        )
        .group_by(Response.survey_slug, CommentCoding.theme_id, Response.submitted_week, Response.is_demo)
    )
    real: _Counts = defaultdict(int)
    everyone: _Counts = defaultdict(int)
    # A response has one week, so people per week add up to people per quarter and year.
    for slug, theme_id, week, is_demo, people in db.session.execute(statement):
        if isinstance(week, str):  # SQLite may hand back the ISO text
            week = date.fromisoformat(week)
        key = (audience_of[slug], theme_id, periods.financial_year_of(week), periods.quarter_number_of(week))
        everyone[key] += people
        if not is_demo:
            real[key] += people
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_({k[1] for k in everyone})))}
    return real, everyone, themes


def theme_trend(
    today: date, include_demo: bool, rules: DisclosureRules, quarters: int = QUARTERS_SHOWN
) -> ThemeTrend:
    """The last ``quarters`` quarters up to the one holding ``today``, protected under ``rules``."""
    shown = [periods.quarter_of(today)]
    while len(shown) < quarters:
        previous = shown[0]
        shown.insert(0, periods.quarter_of(date.fromordinal(previous.start.toordinal() - 1)))
    years = sorted({q.year for q in shown})
    first, last = periods.financial_year(years[0]).start, periods.financial_year(years[-1]).end
    real, everyone, themes = _count(first, last)
    printed = everyone if include_demo else real
    audiences = list(dict.fromkeys(s.audience for s in all_surveys().values()))
    in_trend = {(q.year, q.quarter) for q in shown}
    tables, protecting = [], False
    for audience in audiences:
        ids = {theme_id for (a, theme_id, y, q), n in printed.items() if a == audience and n and (y, q) in in_trend}
        by_kind: dict[str, list[TrendRow]] = defaultdict(list)
        for theme_id in ids:
            theme = themes[theme_id]
            cells: dict[tuple[int, int], Cell] = {}
            for year in years:
                year_cells = _protect_year(audience, theme_id, year, real, printed, in_trend, rules)
                protecting |= any(c.reason in (PROTECTING, WITHHELD) for k, c in year_cells.items() if k in in_trend)
                cells.update(year_cells)
            row = TrendRow(theme_id, theme.name, theme.is_active, tuple(cells[(q.year, q.quarter)] for q in shown))
            by_kind[theme.kind].append(row)
        for kind in THEME_KINDS:
            rows = sorted(by_kind.get(kind, ()), key=lambda r: (r.name.casefold(), r.theme_id))
            if rows:
                tables.append(TrendTable(audience, kind, tuple(rows)))
    has_demo = include_demo and any(
        n != real.get(key, 0) for key, n in everyone.items() if (key[2], key[3]) in in_trend
    )
    return ThemeTrend(tuple(shown), tuple(tables), include_demo, has_demo, rules.threshold, protecting)


def _protect_year(audience, theme_id, year, real, printed, in_trend, rules) -> dict[tuple[int, int], Cell]:
    """The four quarters of one financial year for one audience and theme."""
    keys = [(year, number) for number in (1, 2, 3, 4)]
    deciding = {k: real.get((audience, theme_id, *k), 0) for k in keys}
    shown = {k: printed.get((audience, theme_id, *k), 0) for k in keys}
    year_total = sum(deciding.values())
    if year_total == 0 or rules.is_small(year_total):
        return {k: protect_count(deciding[k], rules, shown=shown[k]) for k in keys}
    table = protect_table(
        list(deciding.items()),
        rules,
        published=[k for k in keys if k not in in_trend],
        shown=shown,
    )
    # Withheld (nothing left to hide but quarters the summary shows): every quarter "not shown".
    return {k: table[k] for k in keys}
