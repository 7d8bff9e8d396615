"""The three shipped surveys load and keep the shape the instruments ask for."""

from __future__ import annotations

import pytest

from feedback_app.surveys import Survey, load_surveys
from feedback_app.surveys.loader import DEFINITIONS_DIR

SCALE = ("yes", "sometimes", "no", "prefer_not_to_say")
AREAS = [
    "Cambridge City",
    "East Cambridgeshire",
    "Fenland",
    "Huntingdonshire",
    "South Cambridgeshire",
    "Peterborough",
    "Outside Cambridgeshire and Peterborough",
    "Prefer not to say",
]


@pytest.fixture(scope="module")
def surveys() -> dict[str, Survey]:
    return load_surveys()


def test_shipped_definitions_load(surveys: dict[str, Survey]) -> None:
    assert sorted(surveys) == ["adult", "seeking_support", "young_person"]
    assert {s.version for s in surveys.values()} == {1}
    assert {slug: s.audience for slug, s in surveys.items()} == {
        "adult": "adult",
        "young_person": "young_person",
        "seeking_support": "anyone",
    }
    assert load_surveys(DEFINITIONS_DIR).keys() == surveys.keys()


def test_adult_shape(surveys: dict[str, Survey]) -> None:
    adult = surveys["adult"]
    assert [s.id for s in adult.steps] == ["about_you", "services", "service", "looking_ahead", "anything_else"]
    about_you = adult.step("about_you")
    assert [q.id for q in about_you.questions] == ["age", "gender", "area"]
    assert all(q.about_person and "prefer_not_to_say" in q.choice_ids for q in about_you.questions)
    assert [c.label for c in adult.question("area").choices] == AREAS
    assert adult.question("services").type == "multi"
    assert adult.question("services").choice_ids == (
        "police", "childrens_services", "idva", "specialist_da", "refuge",
        "housing", "health", "victim_witness_hub", "sexual_violence", "other",
    )  # fmt: skip
    service = adult.step("service")
    assert (service.repeat_for, service.title, service.sensitive) == ("services", "{choice}", True)
    assert service.warning and "skip" in service.warning
    assert [(q.id, q.type) for q in service.questions] == [
        ("listened", "single"), ("safer", "single"), ("helpful", "text"), ("better", "text"),
    ]  # fmt: skip
    assert adult.question("listened").choice_ids == SCALE
    assert adult.question("safer").choice_ids == SCALE
    assert [q.id for q in adult.step("looking_ahead").questions] == [
        "seek_support", "seek_support_other", "preferred_support",
    ]  # fmt: skip
    assert adult.question("seek_support").choice_ids == (
        "anonymity", "own_language", "counselling", "mental_health",
        "self_defence", "campaigns", "online_contact", "other",
    )  # fmt: skip
    assert adult.question("preferred_support").choice_ids == (
        "phone", "face_to_face", "online_chat", "text_message", "email", "group", "prefer_not_to_say",
    )  # fmt: skip
    assert adult.question("anything_else").type == "text"


def test_young_person_has_one_question_per_step(surveys: dict[str, Survey]) -> None:
    young = surveys["young_person"]
    assert all(len(step.questions) == 1 for step in young.steps)
    assert [s.id for s in young.steps] == [
        "age", "gender", "supporters", "listened", "helped", "better", "anything_else",
    ]  # fmt: skip
    assert young.question("age").choice_ids == ("age_13_15", "age_16_17", "age_18_19", "age_20_24", "prefer_not_to_say")
    assert [c.label for c in young.question("gender").choices] == [
        "Girl or young woman", "Boy or young man", "In another way", "Prefer not to say",
    ]  # fmt: skip
    assert [(c.id, c.label) for c in young.question("supporters").choices] == [
        ("school", "School"),
        ("family", "Family"),
        ("yp_idva", "Young People's IDVA (a support worker for young people)"),
        ("other", "Someone else"),
    ]
    repeated = [s for s in young.steps if s.repeat_for]
    assert [(s.id, s.repeat_for) for s in repeated] == [
        ("listened", "supporters"), ("helped", "supporters"), ("better", "supporters"),
    ]  # fmt: skip
    assert [s.sensitive for s in repeated] == [True, False, False]
    assert young.question("listened").choice_ids == SCALE


def test_seeking_support_shape(surveys: dict[str, Survey]) -> None:
    survey = surveys["seeking_support"]
    assert [q.id for q in survey.all_questions()] == [
        "gender", "area", "seek_support", "seek_support_other", "preferred_support",
    ]  # fmt: skip
    assert survey.question("gender").about_person and survey.question("area").about_person
    assert [c.label for c in survey.question("area").choices] == AREAS
    adult = surveys["adult"]
    for qid in ("gender", "seek_support", "preferred_support"):
        assert survey.question(qid).choices == adult.question(qid).choices


def test_every_text_question_can_hold_5000_characters(surveys: dict[str, Survey]) -> None:
    for survey in surveys.values():
        for q in survey.all_questions():
            if q.type == "text":
                assert q.max_length == 5000, (survey.slug, q.id)


def test_lookups(surveys: dict[str, Survey]) -> None:
    adult = surveys["adult"]
    assert adult.question("services").choice("idva").label.startswith("IDVA service")
    assert adult.step_of("safer").id == "service"
    with pytest.raises(KeyError):
        adult.question("nope")
    with pytest.raises(KeyError):
        adult.question("services").choice("fire_brigade")
