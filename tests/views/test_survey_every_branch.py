"""Every step and branch of every shipped survey, answered in full, reaches the database intact."""

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.responses.submissions import open_response
from feedback_app.surveys import load_surveys, plan
from tests.helpers.survey_walker import SurveyWalker

SURVEYS = load_surveys()


def branches():
    """For each survey: no repeat choice, each choice on its own, and all of them."""
    for slug, survey in SURVEYS.items():
        sources = {s.repeat_for for s in survey.steps if s.repeat_for}
        yield pytest.param(slug, {}, id=f"{slug}-none")
        for source in sorted(sources):
            question = survey.question(source)
            for choice in question.choices:
                yield pytest.param(slug, {source: [choice.id]}, id=f"{slug}-{choice.id}")
            yield pytest.param(slug, {source: list(question.choice_ids)}, id=f"{slug}-all")


def fill_screen(walker, picks: dict) -> dict:
    """Answer every question on the current screen; return what was answered."""
    answers = {}
    form = walker.form
    for fieldset in form.find_all("fieldset"):
        inputs = fieldset.find_all("input")
        name = inputs[0]["name"]
        if name in picks:
            answers[name] = picks[name]
        elif inputs[0]["type"] == "radio":
            answers[name] = inputs[-2]["value"]
        else:
            answers[name] = [inputs[0]["value"], inputs[-1]["value"]]
    for textarea in form.find_all("textarea"):
        answers[textarea["name"]] = f"Answer to {textarea['name']} – ąčęėįšųūž"
    return answers


@pytest.mark.parametrize("slug, picks", list(branches()))
def test_branch(client, slug, picks):
    survey = SURVEYS[slug]
    walker = SurveyWalker(client, slug)
    walker.start()
    given: dict = {}
    headings = []
    while walker.screen != "review":
        kind = walker.screen.split(":")[0]
        if kind == "warning":
            walker.press("continue")
            continue
        headings.append(walker.heading)
        answers = fill_screen(walker, picks)
        given.update(answers)
        walker.press(answers=answers)
    expected_screens = plan(survey, given)
    assert len(headings) == len(expected_screens)
    walker.press("submit")
    assert walker.heading == "Thank you"
    [row] = db.session.scalars(select(Response)).all()
    stored = open_response(row)
    expected = {k: (v if isinstance(v, str) else [c for c in survey_choice_order(survey, k, v)]) for k, v in given.items()}
    assert stored.answers == expected
    assert stored.survey_slug == slug


def survey_choice_order(survey, key, values):
    question = survey.question(key.split(".")[0])
    return [c for c in question.choice_ids if c in values]


def test_young_person_has_one_question_per_screen(client):
    walker = SurveyWalker(client, "young_person")
    walker.start()
    seen = 0
    while walker.screen != "review":
        if walker.screen.startswith("warning"):
            walker.press("continue")
            continue
        questions = walker.form.find_all("fieldset") + walker.form.find_all("textarea")
        assert len(questions) == 1, walker.heading
        seen += 1
        walker.press(answers={"supporters": ["school", "family"]} if walker.screen == "step:supporters" else None)
    assert seen == 3 + 2 * 3 + 1


def test_young_person_repeats_per_supporter_in_order(client):
    walker = SurveyWalker(client, "young_person")
    walker.start()
    walker.press()
    walker.press()
    walker.press(answers={"supporters": ["yp_idva", "school"]})
    assert walker.heading == "Before the next questions"
    walker.press("continue")
    order = []
    while walker.screen.startswith("step:") and walker.screen != "step:anything_else":
        order.append(walker.screen.removeprefix("step:"))
        walker.press()
    assert order == [
        "listened.school", "helped.school", "better.school",
        "listened.yp_idva", "helped.yp_idva", "better.yp_idva",
    ]


@pytest.mark.parametrize("slug", ["adult", "young_person", "seeking_support"])
def test_a_total_once_shown_never_changes(client, slug):
    """Ticking every choice (the most screens), the progress never shows a total that a later
    screen contradicts; the total appears at the latest after the last deciding question."""
    walker = SurveyWalker(client, slug)
    walker.start()
    shown = []
    while walker.screen.startswith(("step", "warning")):
        shown.append(walker.page.find(class_="progress").get_text(strip=True))
        if walker.screen.startswith("warning"):
            walker.press("continue")
            continue
        ticks = {}
        for box in walker.form.find_all("input", attrs={"type": "checkbox"}):
            ticks.setdefault(box["name"], []).append(box["value"])
        walker.press(answers=ticks)
    totals = {text.rsplit(" of ", 1)[1] for text in shown if " of " in text}
    numbers = [int(text.split()[1]) for text in shown]
    assert len(totals) == 1, shown
    assert totals == {str(max(numbers))}
    assert " of " in shown[-1]


def test_every_survivor_page_names_its_progress(client):
    walker = SurveyWalker(client, "seeking_support")
    walker.start()
    steps = []
    while walker.screen.startswith("step"):
        steps.append(walker.page.find(class_="progress").get_text(strip=True))
        walker.press()
    assert steps == [f"Step {i} of {len(steps)}" for i in range(1, len(steps) + 1)]
