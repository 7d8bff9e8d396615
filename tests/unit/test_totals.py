"""The grouped totals query-set control reads agree with counting each view."""

import random
from dataclasses import replace

from feedback_app.services.figures import periods, totals
from feedback_app.services.figures.counting import compute_uncached
from feedback_app.services.figures.filters import Filters
from feedback_app.services.figures.query_sets import cells
from tests.unit.test_differencing import QUARTERS, make_responses, random_views


def test_every_view_counts_as_its_grouped_totals_say(app):
    with app.test_request_context():
        make_responses(17)
        grouped = totals.read()
        views = random_views(random.Random(3), 25)
        checked = 0
        for view in views:
            view = replace(view, period=periods.whole_quarters(view.period))
            profile = grouped.profile(view)
            figures = compute_uncached(view)
            assert profile.total == figures.total, view
            by_quarter = {q.period.start: q.count for q in figures.trend if q.count}
            assert {q: n for q, n in profile.by_quarter.items() if n} == by_quarter, view
            for row in figures.services.rows:
                assert profile.by_service[row.key] == row.count, (view, row.key)
            checked += bool(figures.total)
        assert checked > 50  # most views hold responses: the comparison means something


def test_demo_responses_and_part_quarters_are_not_told(app):
    with app.test_request_context():
        make_responses(5)
        grouped = totals.read()
        assert grouped.profile(Filters(include_demo=True)) is None
        part = periods.custom(QUARTERS[1].start, QUARTERS[1].end.replace(day=1))
        assert grouped.profile(Filters(period=part, include_demo=False)) is None
        assert grouped.profile(Filters(period=QUARTERS[1], include_demo=False)).total == compute_uncached(
            Filters(period=QUARTERS[1], include_demo=False)
        ).total


def test_every_view_of_no_one_service_has_the_figures_counting_gives(app):
    with app.test_request_context():
        make_responses(23)
        grouped = totals.read()
        checked = 0
        for view in random_views(random.Random(8), 25):
            view = replace(view, period=periods.whole_quarters(view.period))
            figures = grouped.figures(view)
            if view.service:
                assert figures is None  # its responses are not kept apart in the groups
                continue
            assert cells(figures) == cells(compute_uncached(view)), view
            checked += bool(figures.total)
        assert checked > 30


def test_rows_stored_before_facts_existed_are_grouped_from_their_answers(app):
    from sqlalchemy import update

    from feedback_app.extensions import db
    from feedback_app.models import Response

    with app.test_request_context():
        make_responses(31)
        view = Filters(period=QUARTERS[2], include_demo=False)
        before = cells(totals.read().figures(view))
        db.session.execute(update(Response).values(facts=None, facts_key_id=None))
        db.session.commit()
        assert cells(totals.read().figures(view)) == before == cells(compute_uncached(view))
