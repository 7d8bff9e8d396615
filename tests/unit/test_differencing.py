"""Brute force: no two views of the figures can be subtracted to count 1 to 4 people.

Random responses (every survey, several quarters, languages, ways of filling in, areas,
services, demo and real) and many views: random sets of filters (survey, audience, service,
area, language, how it was filled in, quarter, financial year, custom range, all time), each
with every subset of its filters and a wider period, each with demo responses in and out,
plus the themed summary's audiences. Which view holds which responses is worked out here,
from the generated data, without the application's code.

For every two views where one's real responses all lie inside the other's, every figure
both show as a number must differ by 0 or by at least the threshold. And a view with demo
responses counted in must show exactly the figures its real-only twin shows, so that demo
responses add nothing a subtraction could use.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import combinations

import pytest

from feedback_app.services.figures import periods
from feedback_app.services.figures.dashboard import Dashboard, dashboard, disclosure_rules
from feedback_app.services.figures.filters import AREA_QUESTION, Filters, filter_options, service_questions
from feedback_app.services.figures.query_sets import ANSWERED, TOTAL
from feedback_app.services.figures import cross_tab
from feedback_app.services.figures.cross_counts import ONLINE
from feedback_app.services.reports import board, themed_summary
from feedback_app.services.responses.submissions import store_response
from feedback_app.surveys.registry import all_surveys

SEEDS = [int(seed) for seed in os.environ.get("DIFFERENCING_SEEDS", "11,29").split(",")]
QUARTERS = [periods.quarter(2024, number) for number in (1, 2, 3, 4)] + [periods.quarter(2025, 1)]
LANGUAGES = ("en", "pl", "lt")
MODES = ("online", "assisted")
DIMENSIONS = ("survey", "audience", "service", "area", "language", "collection_mode")


@dataclass(frozen=True)
class Made:
    """One generated response, as this test knows it."""

    survey: str
    audience: str
    week: date
    language: str
    mode: str
    area: str | None
    services: frozenset[str]  # "services.police", "supporters.school", ...
    demo: bool


def random_answers(survey, rng: random.Random) -> tuple[dict, str | None, frozenset[str]]:
    answers: dict = {}
    chosen_services: set[str] = set()
    repeated = {question.id for question in service_questions(survey)}
    for step in survey.steps:
        if step.repeat_for:
            continue
        for question in step.questions:
            if question.type == "single" and rng.random() < 0.85:
                answers[question.id] = rng.choice(question.choices).id
            elif question.type == "multi" and rng.random() < 0.85:
                picked = [c.id for c in question.choices if rng.random() < 0.3] or [question.choices[0].id]
                answers[question.id] = picked
                if question.id in repeated:
                    chosen_services.update(f"{question.id}.{choice}" for choice in picked)
    for step in survey.steps:
        if not step.repeat_for or step.repeat_for not in answers:
            continue
        for choice_id in answers[step.repeat_for]:
            for question in step.questions:
                if question.type == "single" and rng.random() < 0.8:
                    answers[f"{question.id}.{choice_id}"] = rng.choice(question.choices).id
    return answers, answers.get(AREA_QUESTION), frozenset(chosen_services)


def make_responses(seed: int) -> list[Made]:
    rng = random.Random(seed)
    surveys = list(all_surveys().values())
    made = []
    # Lopsided on purpose: small groups are where differences are small.
    weights = [6, 3, 1][: len(surveys)] + [1] * max(0, len(surveys) - 3)
    for number in range(110):
        survey = rng.choices(surveys, weights=weights)[0]
        quarter = rng.choices(QUARTERS, weights=[1, 4, 4, 3, 1])[0]
        day = quarter.start + timedelta(days=rng.randrange(0, (quarter.end - quarter.start).days - 6))
        answers, area, services = random_answers(survey, rng)
        language = rng.choices(LANGUAGES, weights=[8, 2, 1])[0]
        mode = rng.choices(MODES, weights=[3, 1])[0]
        demo = number % 7 == 0
        store_response(
            survey_slug=survey.slug,
            survey_version=survey.version,
            language=language,
            collection_mode=mode,
            organisation=None if mode == "online" else "Refuge North",
            answers=answers,
            submitted_on=day,
            is_demo=demo,
        )
        week = day - timedelta(days=day.weekday())
        made.append(Made(survey.slug, survey.audience, week, language, mode, area, services, demo))
    return made


def members(view: Filters, made: list[Made]) -> frozenset[int]:
    """The real responses ``view`` holds, worked out from what was generated."""
    period = periods.whole_quarters(view.period)
    held = set()
    for index, response in enumerate(made):
        if response.demo:
            continue
        if view.survey and response.survey != view.survey:
            continue
        if view.audience and response.audience != view.audience:
            continue
        if view.service and view.service not in response.services:
            continue
        if view.area and response.area != view.area:
            continue
        if view.language and response.language != view.language:
            continue
        if view.collection_mode and response.mode != view.collection_mode:
            continue
        if not period.contains(response.week):
            continue
        held.add(index)
    return frozenset(held)


def random_period(rng: random.Random) -> periods.Period:
    kind = rng.choice(("quarter", "year", "all", "custom", "custom"))
    if kind == "quarter":
        return rng.choice(QUARTERS)
    if kind == "year":
        return periods.financial_year(2024)
    if kind == "all":
        return periods.ALL_TIME
    first, last = sorted(rng.sample(range(len(QUARTERS)), 2))
    # Any days: the dashboard widens them to whole quarters.
    return periods.custom(QUARTERS[first].start + timedelta(days=20), QUARTERS[last].end - timedelta(days=9))


def random_views(rng: random.Random, count: int) -> list[Filters]:
    options = filter_options()
    values = {
        "survey": [s.slug for s in all_surveys().values()],
        "audience": list(options.audiences),
        "service": [o.value for o in options.services],
        "area": [o.value for o in options.areas],
        "language": list(LANGUAGES),
        "collection_mode": list(MODES),
    }
    views: set[Filters] = set()
    for _ in range(count):
        chosen = rng.sample(DIMENSIONS, rng.randint(1, 3))
        base = Filters(period=random_period(rng), include_demo=False, **{d: rng.choice(values[d]) for d in chosen})
        for size in range(len(chosen) + 1):
            for kept in combinations(chosen, size):
                narrowed = replace(base, **{d: None for d in chosen if d not in kept})
                views.add(narrowed)
                views.add(replace(narrowed, period=periods.ALL_TIME))
    return sorted(views, key=repr)


def shown_cells(board: Dashboard) -> dict:
    """Every figure the view shows, by the key ``query_sets.cells`` gives the same figure;
    None for a figure shown as words ("fewer than 5", "not shown")."""
    found = {TOTAL: board.total}
    tables = [*(board.splits), board.services, *(board.choices)]
    if board.by_survey:
        found.update({("survey", row.key): row.cell for row in board.by_survey.rows})
    if board.trend:
        found.update({("trend", row.key): row.cell for row in board.trend.rows})
    for figure in tables:
        found.update({(figure.key, row.key): row.cell for row in figure.rows})
        if figure.multi:
            found[(figure.key, ANSWERED)] = figure.total
    for service in board.service_figures:
        found[("services", service.key)] = service.mentions
        for scale in service.scales:
            found.update({("scale", service.key, scale.key, row.key): row.cell for row in scale.rows})
    return {key: (None if cell.suppressed else cell.value) for key, cell in found.items()}


def board_views(period: periods.Period, rules) -> list[tuple[Filters, dict]]:
    """The board summary's two-way tables: a cell (an area or online, by audience or for
    all) is the total of the view with that area or way of filling in."""
    summary = board.board(period, None, False, rules)
    view_rows = {"area": {option.value for option in filter_options().areas}, "collection_mode": {ONLINE}}
    found = []
    for table, dimension in ((summary.areas, "area"), (summary.modes, "collection_mode")):
        for (row, column), cell in table.cells.items():
            if row == cross_tab.TOTAL or row not in view_rows[dimension]:
                continue  # "not answered" and "1:1" are not one view's total
            view = Filters(period=period, include_demo=False, audience=None if column == cross_tab.TOTAL else column)
            found.append((replace(view, **{dimension: row}), {TOTAL: None if cell.suppressed else cell.value}))
    return found


def summary_views(period: periods.Period, rules) -> list[tuple[Filters, dict]]:
    """The themed summary's audiences, each as the view it is, with the figures it shows."""
    summary = themed_summary.build(period, False, rules, date(2025, 7, 1))
    found = []
    for section in summary.audiences:
        view = Filters(audience=section.audience, period=period, include_demo=False)
        figures = {TOTAL: None if section.total.suppressed else section.total.value}
        for figure in (*section.splits, *section.choices, *([section.services] if section.services else [])):
            figures.update({(figure.key, row.key): row.cell.value for row in figure.rows})
        for service in section.service_sections:
            figures[("services", service.key)] = service.mentions.value
            for scale in service.scales:
                figures.update({("scale", service.key, scale.key, row.key): row.cell.value for row in scale.rows})
        found.append((view, figures))
    everyone = Filters(period=period, include_demo=False)
    found.append((everyone, {TOTAL: summary.total.value}))
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_no_two_views_subtract_to_a_small_count(app, seed):
    rng = random.Random(seed * 1000 + 7)
    with app.test_request_context():
        made = make_responses(seed)
        rules = disclosure_rules()
        threshold = rules.threshold
        views = random_views(rng, 14)
        seen: list[tuple[str, Filters, dict]] = []
        for view in views:
            real = shown_cells(dashboard(view, rules))
            with_demo = shown_cells(dashboard(replace(view, include_demo=True), rules))
            # Rows only demo responses bring (a quarter with no real response) aside.
            both = real.keys() & with_demo.keys()
            assert {k for k in both if real[k] is None} == {k for k in both if with_demo[k] is None}, (
                f"demo responses change what is hidden in {view}"
            )
            seen.append(("dashboard", view, real))
        for period in (QUARTERS[1], QUARTERS[2], periods.financial_year(2024)):
            seen.extend(("summary", view, figures) for view, figures in summary_views(period, rules))
        for period in (QUARTERS[1], QUARTERS[2]):
            seen.extend(("board", view, figures) for view, figures in board_views(period, rules))

        held = {id(entry): members(entry[1], made) for entry in seen}
        pairs = found = 0
        for wide, narrow in (pair for pair in _ordered_pairs(seen)):
            inner, outer = held[id(narrow)], held[id(wide)]
            if not inner or not inner <= outer:
                continue
            pairs += 1
            for key, value in narrow[2].items():
                other = wide[2].get(key)
                if value is None or other is None:
                    continue
                difference = other - value
                assert not 0 < difference < threshold, (
                    f"{wide[0]} {wide[1]} minus {narrow[0]} {narrow[1]} gives {difference} for {key}"
                )
                found += 1
        # The test looked at something: many nested pairs and many figures shown in both.
        assert pairs > 200 and found > 500, (pairs, found)


def _ordered_pairs(entries):
    for first in entries:
        for second in entries:
            if first is not second:
                yield first, second
