"""Planning the screens and reading answers from a form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from survey_helpers import BASE_TOML, FakeForm, write_survey

from feedback_app.surveys import (
    NOT_OFFERED,
    TOO_LONG,
    Survey,
    load_surveys,
    parse_answers,
    plan,
    prune_answers,
    step_index,
)


@pytest.fixture(scope="module")
def adult() -> Survey:
    return load_surveys()["adult"]


@pytest.fixture(scope="module")
def young() -> Survey:
    return load_surveys()["young_person"]


def keys(survey: Survey, answers: dict) -> list[str]:
    return [instance.key for instance in plan(survey, answers)]


# --- plan ----------------------------------------------------------------------------------


def test_adult_plan_without_services(adult: Survey) -> None:
    assert keys(adult, {}) == ["about_you", "services", "looking_ahead", "anything_else"]


def test_adult_plan_repeats_service_step_in_choice_list_order(adult: Survey) -> None:
    # Ticked as idva then police: the plan follows the list, where police comes first.
    screens = plan(adult, {"services": ["idva", "police"]})
    assert [s.key for s in screens] == [
        "about_you", "services", "service.police", "service.idva", "looking_ahead", "anything_else",
    ]  # fmt: skip
    police = screens[2]
    assert police.step.id == "service" and police.choice is not None and police.choice.id == "police"
    assert police.field_name(adult.question("listened")) == "listened.police"
    assert police.field_names() == ("listened.police", "safer.police", "helpful.police", "better.police")
    assert screens[0].field_name(adult.question("age")) == "age"
    assert screens[0].choice is None


def test_plan_ignores_unknown_or_malformed_answers(adult: Survey) -> None:
    assert keys(adult, {"services": ["fire_brigade", 3]}) == keys(adult, {})
    assert keys(adult, {"services": None}) == keys(adult, {})


def test_young_person_repeat_group_is_interleaved_per_supporter(young: Survey) -> None:
    assert keys(young, {"supporters": ["family", "school"]}) == [
        "age", "gender", "supporters",
        "listened.school", "helped.school", "better.school",
        "listened.family", "helped.family", "better.family",
        "anything_else",
    ]  # fmt: skip


def test_render_title(adult: Survey) -> None:
    service = plan(adult, {"services": ["health"]})[2]
    assert service.render_title() == "Health (for example GP, hospital, midwife)"
    pretend_polish = {"{choice}": "{choice}", "Health (for example GP, hospital, midwife)": "Zdrowie"}
    assert service.render_title(lambda s: pretend_polish.get(s, s)) == "Zdrowie"
    assert plan(adult, {})[0].render_title(str.upper) == "ABOUT YOU"


def test_step_index(adult: Survey) -> None:
    screens = plan(adult, {"services": ["police", "idva"]})
    assert step_index(screens, "service.idva") == 3
    assert step_index(screens, "about_you") == 0
    assert step_index(screens, "service.housing") is None


SHOW_IF_STEP = '''
[[steps]]
id = "police_follow_up"
title = "Police"
show_if = { question = "services", any_of = ["police"] }

[[steps.questions]]
id = "reported"
type = "single"
text = "Did you report it?"
choices = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]

[[steps]]
id = "report_details"
title = "Reporting"
show_if = { question = "reported", any_of = ["yes"] }

[[steps.questions]]
id = "report_notes"
type = "text"
text = "How did it go?"
'''


@pytest.fixture
def demo(tmp_path: Path) -> Survey:
    write_survey(tmp_path, BASE_TOML + SHOW_IF_STEP)
    return load_surveys(tmp_path)["demo"]


def test_show_if(demo: Survey) -> None:
    assert "police_follow_up" not in keys(demo, {"services": ["housing"]})
    assert keys(demo, {"services": ["housing", "police"]})[-1] == "police_follow_up"
    assert keys(demo, {"services": ["police"], "reported": "yes"})[-2:] == ["police_follow_up", "report_details"]


def test_answers_on_hidden_steps_do_not_count(demo: Survey) -> None:
    # Police was un-ticked: the old "reported" answer must not reveal the step after it.
    stale = {"services": ["housing"], "reported": "yes", "report_notes": "Fine"}
    assert "report_details" not in keys(demo, stale)
    assert prune_answers(demo, stale) == {"services": ["housing"]}


# --- parse_answers -------------------------------------------------------------------------


def test_parse_full_adult_form(adult: Survey) -> None:
    form = FakeForm(
        [
            ("age", "age_25_34"),
            ("gender", "woman"),
            ("services", "idva"),  # ticked in a different order from the list
            ("services", "police"),
            ("listened.police", "sometimes"),
            ("safer.police", "no"),
            ("helpful.police", "  They believed me.  "),
            ("better.police", ""),
            ("listened.idva", "yes"),
            ("better.idva", "Call back\r\nsooner"),
            ("preferred_support", "phone"),
            ("preferred_support", "online_chat"),
            ("seek_support_other", "   "),
            ("csrf_token", "abc"),  # not a question: ignored
        ]
    )
    result = parse_answers(adult, form)
    assert result.ok and result.errors == {}
    assert result.answers == {
        "age": "age_25_34",
        "gender": "woman",
        "services": ["police", "idva"],
        "listened.police": "sometimes",
        "safer.police": "no",
        "helpful.police": "They believed me.",
        "listened.idva": "yes",
        "better.idva": "Call back\nsooner",
        "preferred_support": ["phone", "online_chat"],
    }
    assert json.loads(json.dumps(result.answers)) == result.answers


def test_choice_not_offered_is_rejected(adult: Survey) -> None:
    result = parse_answers(adult, FakeForm([("age", "age_99"), ("gender", "woman")]))
    assert result.errors == {"age": NOT_OFFERED}
    assert result.answers == {"gender": "woman"}


def test_multi_with_a_choice_not_offered_keeps_the_valid_ones(adult: Survey) -> None:
    result = parse_answers(adult, FakeForm([("services", "police"), ("services", "fire_brigade")]))
    assert result.errors == {"services": NOT_OFFERED}
    assert result.answers == {"services": ["police"]}


def test_two_values_for_a_single_question_are_rejected(adult: Survey) -> None:
    result = parse_answers(adult, FakeForm([("gender", "woman"), ("gender", "man")]))
    assert result.errors == {"gender": NOT_OFFERED}
    assert "gender" not in result.answers


def test_text_over_5000_characters_is_rejected_but_kept(adult: Survey) -> None:
    long_text = "a" * 5001
    just_right = "b" * 5000
    form = FakeForm(
        [
            ("services", "police"),
            ("helpful.police", long_text),
            ("better.police", f"  {just_right}\n"),  # counted after stripping
        ]
    )
    result = parse_answers(adult, form)
    assert result.errors == {"helpful.police": TOO_LONG}
    assert "helpful.police" not in result.answers
    assert result.raw_text["helpful.police"] == long_text
    assert result.answers["better.police"] == just_right
    assert result.raw_text["better.police"] == just_right


def test_custom_max_length(demo: Survey) -> None:
    form = FakeForm([("services", "housing"), ("comments.housing", "x" * 11)])
    result = parse_answers(demo, form)
    assert result.errors == {"comments.housing": TOO_LONG}


def test_answers_for_unchosen_services_are_dropped(adult: Survey) -> None:
    form = FakeForm(
        [
            ("services", "police"),
            ("listened.police", "yes"),
            ("listened.housing", "no"),  # housing was un-ticked
            ("helpful.housing", "x" * 6000),  # not even checked
            ("listened.nowhere", "yes"),
        ]
    )
    result = parse_answers(adult, form)
    assert result.answers == {"services": ["police"], "listened.police": "yes"}
    assert result.errors == {}
    assert result.raw_text == {}


def test_empty_text_is_omitted(adult: Survey) -> None:
    result = parse_answers(adult, FakeForm([("anything_else", " \r\n\t ")]))
    assert result.answers == {} and result.errors == {} and result.raw_text == {}


def test_control_characters_are_removed(adult: Survey) -> None:
    result = parse_answers(adult, FakeForm([("anything_else", "safe\x00 now\x07\tok")]))
    assert result.answers == {"anything_else": "safe now\tok"}


def test_show_if_follows_answers_in_the_same_form(demo: Survey) -> None:
    with_police = parse_answers(demo, FakeForm([("services", "police"), ("reported", "yes")]))
    assert with_police.answers == {"services": ["police"], "reported": "yes"}
    without = parse_answers(demo, FakeForm([("services", "housing"), ("reported", "yes")]))
    assert without.answers == {"services": ["housing"]}


def test_young_person_repeated_answers(young: Survey) -> None:
    form = FakeForm([("supporters", "yp_idva"), ("listened.yp_idva", "yes"), ("helped.yp_idva", "She listened")])
    result = parse_answers(young, form)
    assert result.answers == {
        "supporters": ["yp_idva"],
        "listened.yp_idva": "yes",
        "helped.yp_idva": "She listened",
    }


def test_prune_answers(adult: Survey) -> None:
    stored = {"services": ["idva"], "listened.idva": "yes", "listened.police": "no", "age": "age_16_24"}
    assert prune_answers(adult, stored) == {"services": ["idva"], "listened.idva": "yes", "age": "age_16_24"}
