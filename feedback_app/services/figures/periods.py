"""Reporting periods: UK financial-year quarters and years, or a custom range of dates.

The financial year runs from 1 April to 31 March; "2025/26" is 1 April 2025 to 31 March 2026.
Quarters: Q1 April–June, Q2 July–September, Q3 October–December, Q4 January–March.

Responses are dated only by the Monday of the week they arrived in (``submitted_week``), so a
period holds the weeks whose Monday falls inside it. A week that straddles a boundary (Monday
30 March, Wednesday 1 April) counts in the period its Monday is in.

In a URL a period is one ``period`` parameter (a *token*):

* ``""`` – all time;
* ``"2025-26"`` – a financial year (``"2025/26"`` is accepted too);
* ``"2025-26-q1"`` – a quarter (``"Q1 2025/26"`` is accepted too);
* ``"custom"`` with ``from`` and/or ``to`` as ``YYYY-MM-DD`` – a custom range (either end open).

Pure functions: nothing here reads the clock, the database or the request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

ALL = "all"
YEAR = "year"
QUARTER = "quarter"
RANGE = "range"

CUSTOM_TOKEN = "custom"

_YEAR_TOKEN = re.compile(r"^(\d{4})[-/](\d{2})$")
_QUARTER_TOKEN = re.compile(r"^(\d{4})[-/](\d{2})-q([1-4])$")
_QUARTER_LABEL = re.compile(r"^q([1-4])\s+(\d{4})/(\d{2})$")
# Financial years this far from anything plausible are typing mistakes, not periods.
_FIRST_YEAR, _LAST_YEAR = 2000, 2099


class PeriodError(ValueError):
    """A period in a URL that does not make sense."""


@dataclass(frozen=True)
class Period:
    kind: str  # ALL | YEAR | QUARTER | RANGE
    start: date | None = None  # inclusive; None = open
    end: date | None = None  # inclusive; None = open
    year: int | None = None  # the financial year's first calendar year (YEAR, QUARTER)
    quarter: int | None = None  # 1-4 (QUARTER)

    @property
    def token(self) -> str:
        """The value of the ``period`` URL parameter for this period."""
        if self.kind == YEAR:
            return year_token(self.year)
        if self.kind == QUARTER:
            return f"{year_token(self.year)}-q{self.quarter}"
        if self.kind == RANGE:
            return CUSTOM_TOKEN
        return ""

    @property
    def label(self) -> str:
        """"Q1 2026/27", "2026/27", "2026-04-01 – 2026-06-30" (ISO dates), or "" for all time."""
        if self.kind == YEAR:
            return year_label(self.year)
        if self.kind == QUARTER:
            return f"Q{self.quarter} {year_label(self.year)}"
        if self.kind == RANGE:
            start = self.start.isoformat() if self.start else "…"
            end = self.end.isoformat() if self.end else "…"
            return f"{start} – {end}"
        return ""

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def query(self) -> dict[str, str]:
        """The URL parameters for this period."""
        if self.kind == RANGE:
            params = {"period": CUSTOM_TOKEN}
            if self.start:
                params["from"] = self.start.isoformat()
            if self.end:
                params["to"] = self.end.isoformat()
            return params
        return {"period": self.token} if self.token else {}


ALL_TIME = Period(ALL)


def year_token(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_of(day: date) -> int:
    """The first calendar year of the financial year ``day`` is in (March 2026 -> 2025)."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_number_of(day: date) -> int:
    """1 for April–June ... 4 for January–March."""
    return (day.month - 4) % 12 // 3 + 1


def financial_year(year: int) -> Period:
    _check_year(year)
    return Period(YEAR, date(year, 4, 1), date(year + 1, 3, 31), year=year)


def quarter(year: int, number: int) -> Period:
    _check_year(year)
    if number not in (1, 2, 3, 4):
        raise PeriodError(f"there is no quarter {number}")
    first_month = 4 + 3 * (number - 1)  # 4, 7, 10, 13
    start = date(year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 1)
    after = 3 + first_month  # the first month of the next quarter
    next_start = date(year + (after - 1) // 12, (after - 1) % 12 + 1, 1)
    return Period(QUARTER, start, date.fromordinal(next_start.toordinal() - 1), year=year, quarter=number)


def quarter_of(day: date) -> Period:
    return quarter(financial_year_of(day), quarter_number_of(day))


def custom(start: date | None, end: date | None) -> Period:
    if start and end and start > end:
        raise PeriodError("the range ends before it starts")
    if start is None and end is None:
        return ALL_TIME
    return Period(RANGE, start, end)


def whole_quarters(period: Period) -> Period:
    """``period`` widened to whole quarters: a custom range runs from the first day of the
    quarter it starts in to the last day of the quarter it ends in (an open end stays open).
    Figures are only ever given for runs of whole quarters, so that two periods a few weeks
    apart cannot be subtracted to count the people in between (``query_sets``)."""
    if period.kind != RANGE:
        return period
    start = quarter_of(period.start).start if period.start else None
    end = quarter_of(period.end).end if period.end else None
    return Period(RANGE, start, end)


def parse_token(token: str) -> Period:
    """A year or quarter token (or "" for all time); ``PeriodError`` if it is neither."""
    value = (token or "").strip().lower()
    if not value or value == ALL:
        return ALL_TIME
    match = _QUARTER_TOKEN.match(value)
    if match:
        return quarter(_year_from(match[1], match[2]), int(match[3]))
    match = _QUARTER_LABEL.match(value)
    if match:
        return quarter(_year_from(match[2], match[3]), int(match[1]))
    match = _YEAR_TOKEN.match(value)
    if match:
        return financial_year(_year_from(match[1], match[2]))
    raise PeriodError(f"{token!r} is not a financial year or quarter")


def quarters_between(first: date, last: date) -> list[Period]:
    """Every quarter from the one holding ``first`` to the one holding ``last``, in order."""
    if first > last:
        return []
    current, final = quarter_of(first), quarter_of(last)
    quarters = [current]
    while current != final:
        current = next_quarter(current)
        quarters.append(current)
    return quarters


def next_quarter(period: Period) -> Period:
    if period.quarter == 4:
        return quarter(period.year + 1, 1)
    return quarter(period.year, period.quarter + 1)


def recent_periods(today: date, years: int = 3) -> Iterator[Period]:
    """For choosing: the current financial year and ``years - 1`` before it, newest first,
    each followed by its quarters that have started."""
    this_year = financial_year_of(today)
    for year in range(this_year, this_year - years, -1):
        yield financial_year(year)
        for number in range(4, 0, -1):
            q = quarter(year, number)
            if q.start <= today:
                yield q


def _year_from(first: str, second: str) -> int:
    year = int(first)
    if (year + 1) % 100 != int(second):
        raise PeriodError(f"{first}/{second} is not a financial year")
    return year


def _check_year(year: int) -> None:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise PeriodError(f"financial year {year} is out of range")
