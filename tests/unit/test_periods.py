"""UK financial-year periods: quarters, years, custom ranges, URL tokens and labels."""

from datetime import date

import pytest

from feedback_app.services.figures import periods
from feedback_app.services.figures.periods import PeriodError


@pytest.mark.parametrize(
    "day, year, number",
    [
        (date(2026, 4, 1), 2026, 1),
        (date(2026, 3, 31), 2025, 4),
        (date(2026, 6, 30), 2026, 1),
        (date(2026, 7, 1), 2026, 2),
        (date(2026, 9, 30), 2026, 2),
        (date(2026, 10, 1), 2026, 3),
        (date(2026, 12, 31), 2026, 3),
        (date(2027, 1, 1), 2026, 4),
    ],
)
def test_quarter_of_a_day(day, year, number):
    assert periods.financial_year_of(day) == year
    assert periods.quarter_number_of(day) == number
    q = periods.quarter_of(day)
    assert (q.year, q.quarter) == (year, number)
    assert q.contains(day)


@pytest.mark.parametrize(
    "number, start, end",
    [
        (1, date(2025, 4, 1), date(2025, 6, 30)),
        (2, date(2025, 7, 1), date(2025, 9, 30)),
        (3, date(2025, 10, 1), date(2025, 12, 31)),
        (4, date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_quarters_of_2025_26(number, start, end):
    q = periods.quarter(2025, number)
    assert (q.start, q.end) == (start, end)
    assert q.label == f"Q{number} 2025/26"
    assert q.token == f"2025-26-q{number}"


def test_financial_year_runs_april_to_march():
    year = periods.financial_year(2025)
    assert (year.start, year.end) == (date(2025, 4, 1), date(2026, 3, 31))
    assert year.label == "2025/26"
    assert year.token == "2025-26"
    assert not year.contains(date(2025, 3, 31))
    assert year.contains(date(2025, 4, 1)) and year.contains(date(2026, 3, 31))
    assert not year.contains(date(2026, 4, 1))


def test_century_turn_labels():
    assert periods.financial_year(2099).label == "2099/00"
    assert periods.parse_token("2099-00") == periods.financial_year(2099)


@pytest.mark.parametrize(
    "token, expected",
    [
        ("", periods.ALL_TIME),
        ("all", periods.ALL_TIME),
        ("2026-27", periods.financial_year(2026)),
        ("2026/27", periods.financial_year(2026)),
        ("2026-27-q1", periods.quarter(2026, 1)),
        ("2026-27-Q4", periods.quarter(2026, 4)),
        ("Q2 2026/27", periods.quarter(2026, 2)),
        ("  2026-27  ", periods.financial_year(2026)),
    ],
)
def test_parse_token(token, expected):
    assert periods.parse_token(token) == expected


@pytest.mark.parametrize(
    "token", ["2026-28", "2026", "2026-27-q5", "2026-27-q0", "q1", "1999-00", "custom", "2026-27; drop", "Q1 2026/28"]
)
def test_parse_token_rejects_nonsense(token):
    with pytest.raises(PeriodError):
        periods.parse_token(token)


def test_tokens_round_trip():
    for period in periods.recent_periods(date(2026, 11, 19), years=3):
        assert periods.parse_token(period.token) == period


def test_custom_range_from_dates():
    period = periods.custom(date(2026, 4, 1), date(2026, 5, 31))
    assert period.kind == periods.RANGE
    assert (period.start, period.end) == (date(2026, 4, 1), date(2026, 5, 31))
    assert period.label == "2026-04-01 – 2026-05-31"
    assert period.query() == {"period": "custom", "from": "2026-04-01", "to": "2026-05-31"}


def test_custom_range_may_be_open_at_one_end():
    period = periods.custom(date(2026, 4, 1), None)
    assert (period.start, period.end) == (date(2026, 4, 1), None)
    assert period.contains(date(2030, 1, 1)) and not period.contains(date(2026, 3, 31))
    assert periods.custom(None, None) == periods.ALL_TIME


@pytest.mark.parametrize(
    "read",
    [
        lambda: periods.custom(date(2026, 5, 1), date(2026, 4, 1)),
        lambda: periods.parse_token("last week"),
        lambda: periods.parse_token("2026-27-q5"),
    ],
    ids=["backwards", "not a period", "no such quarter"],
)
def test_nonsense_periods_and_dates_are_refused(read):
    with pytest.raises(PeriodError):
        read()


def test_quarter_and_year_query_parameters():
    assert periods.quarter(2026, 1).query() == {"period": "2026-27-q1"}
    assert periods.financial_year(2026).query() == {"period": "2026-27"}
    assert periods.ALL_TIME.query() == {}
    assert periods.parse_token(periods.quarter(2026, 1).query()["period"]) == periods.quarter(2026, 1)


def test_quarters_between_crosses_a_year():
    quarters = periods.quarters_between(date(2025, 12, 1), date(2026, 4, 1))
    assert [q.label for q in quarters] == ["Q3 2025/26", "Q4 2025/26", "Q1 2026/27"]
    assert periods.quarters_between(date(2026, 4, 1), date(2026, 4, 1)) == [periods.quarter(2026, 1)]
    assert periods.quarters_between(date(2026, 4, 2), date(2026, 4, 1)) == []


def test_recent_periods_newest_first_with_started_quarters_only():
    labels = [p.label for p in periods.recent_periods(date(2026, 8, 3), years=2)]
    assert labels == [
        "2026/27", "Q2 2026/27", "Q1 2026/27",
        "2025/26", "Q4 2025/26", "Q3 2025/26", "Q2 2025/26", "Q1 2025/26",
    ]
