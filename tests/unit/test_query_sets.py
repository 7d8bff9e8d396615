"""Query-set control, case by case (the brute-force search is in test_differencing.py)."""

from datetime import date

import pytest

from feedback_app.services.figures import periods
from feedback_app.services.figures.dashboard import dashboard
from feedback_app.services.figures.disclosure import NARROWED, DisclosureRules
from feedback_app.services.figures.filters import Filters
from feedback_app.services.figures.query_sets import _reveals
from tests.helpers.insight_data import store_many

RULES = DisclosureRules(threshold=5, percent_base_min=10)
Q1, Q2, Q3 = periods.quarter(2024, 1), periods.quarter(2024, 2), periods.quarter(2024, 3)
WOMAN_POLICE = {"gender": "woman", "services": ["police"], "listened.police": "yes"}


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


def view(**filters):
    filters.setdefault("include_demo", False)
    return dashboard(Filters(**filters), RULES)


def shown(figure):
    return {row.key: row.cell.shown for row in figure.rows}


def test_a_filter_that_leaves_out_a_handful_hides_the_view():
    store_many(12, WOMAN_POLICE, day=date(2024, 5, 1))
    store_many(3, WOMAN_POLICE, day=date(2024, 5, 1), language="pl")
    english = view(language="en")
    # Everyone (15) minus English (12) would count the 3 in Polish.
    assert english.narrowed and english.total.shown == "not shown" and english.total.reason == NARROWED
    assert view().total.shown == "15"  # the wider view is shown
    assert view(language="pl").total.shown == "fewer than 5"


def test_a_handful_more_in_the_wider_view_hides_only_that_figure():
    store_many(10, WOMAN_POLICE, day=date(2024, 5, 1))
    store_many(3, {"gender": "woman"}, day=date(2024, 5, 1), language="pl")
    store_many(5, {"gender": "man"}, day=date(2024, 5, 1), language="pl")
    english = view(language="en")
    # Everyone (18) minus English (10) is 8: the view is shown. But the women: 13 in all,
    # 10 in English, so that figure is hidden; and with it the gender table, whose other
    # cells are 0 and would give the women's number away.
    assert not english.narrowed and english.total.shown == "10"
    gender = next(s for s in english.splits if s.key == "gender")
    assert gender.withheld
    assert {row.key: row.cell.shown for row in english.services.rows}["services.police"] == "10"
    # A man in English: now the women's 10 is hidden, the men's 1 is fewer than 5, and the
    # rest of the table stays as it is.
    store_many(1, {"gender": "man"}, day=date(2024, 5, 1))
    english = view(language="en")
    gender = shown(next(s for s in english.splits if s.key == "gender"))
    assert gender["woman"] == "not shown" and gender["man"] == "fewer than 5"


def test_the_quarters_either_side_decide_for_a_quarter():
    store_many(2, WOMAN_POLICE, day=date(2024, 5, 1))  # Q1
    store_many(20, WOMAN_POLICE, day=date(2024, 8, 1))  # Q2
    # Q1 to Q2 (a custom range) minus Q2 would count the 2 of Q1.
    assert view(period=Q2).narrowed
    store_many(3, WOMAN_POLICE, day=date(2024, 6, 3))  # Q1 now holds 5
    assert view(period=Q2).total.shown == "20"
    # Q3 is empty; Q2 to Q3 adds nothing.
    assert view(period=periods.custom(date(2024, 7, 1), date(2024, 12, 31))).total.shown == "20"


def test_a_custom_range_is_widened_to_whole_quarters():
    store_many(6, WOMAN_POLICE, day=date(2024, 4, 8))
    store_many(6, WOMAN_POLICE, day=date(2024, 6, 17))
    figures = view(period=periods.custom(date(2024, 5, 1), date(2024, 5, 31)))
    assert figures.total.shown == "12"  # all of Q1, not only May
    assert figures.filters.period == periods.Period(periods.RANGE, date(2024, 4, 1), date(2024, 6, 30))


def test_views_nested_by_the_data_not_the_filters_are_checked_too():
    # Everyone in Polish filled it in online, so the Polish view lies inside the online view
    # although neither filter narrows the other.
    store_many(10, WOMAN_POLICE, day=date(2024, 5, 1), language="pl")
    store_many(3, WOMAN_POLICE, day=date(2024, 5, 1))
    store_many(8, WOMAN_POLICE, day=date(2024, 5, 1), language="lt")
    polish, online = view(language="pl"), view(collection_mode="online")
    assert online.total.shown == "21"
    assert polish.total.shown == "10"  # 21 - 10 = 11
    english_online = view(language="en", collection_mode="online")
    assert english_online.total.shown == "fewer than 5"


def test_demo_responses_never_decide_what_is_hidden():
    store_many(12, WOMAN_POLICE, day=date(2024, 5, 1))
    store_many(3, WOMAN_POLICE, day=date(2024, 5, 1), language="pl")
    from tests.helpers.summary_data import store_adults

    store_adults(4, WOMAN_POLICE, day=date(2024, 5, 1), is_demo=True)
    # Real: 15 in all, 12 in English. Demo responses (in English) do not make the difference
    # bigger: the English view is still hidden, with demo responses in or out.
    assert view(language="en").narrowed
    assert view(language="en", include_demo=True).narrowed


@pytest.mark.parametrize(
    "difference, before, after, reveals",
    [
        (0, [], [], False),
        (3, [], [], True),
        (5, [], [], False),
        (0, [0, 0, 2], [], True),  # the nearest quarter with anyone holds 2
        (0, [0, 6], [3], True),  # only the quarter after: 3
        (0, [6], [7], False),
        (0, [1, 9], [9], True),
        (2, [9], [9], True),  # the same quarters, different filters: 2 already
    ],
)
def test_reveals(difference, before, after, reveals):
    def reader(counts):
        return lambda index: counts[index] if index < len(counts) else None

    assert _reveals(difference, reader(before), reader(after), 5) is reveals
