"""Every kind of mistake in a definition file gives an error naming the file and the place."""

from __future__ import annotations

from pathlib import Path

import pytest
from survey_helpers import BASE_TOML, replaced, write_survey

from feedback_app.surveys import SurveyDefinitionError, load_surveys
from feedback_app.surveys.loader import load_survey_files

EXTRA_STEP = '''
[[steps]]
id = "extra"
title = "Extra"
{step_lines}

[[steps.questions]]
id = "extra_q"
{question_lines}
'''


def extra(question_lines: str, step_lines: str = "") -> str:
    return BASE_TOML + EXTRA_STEP.format(question_lines=question_lines, step_lines=step_lines)


def error_for(tmp_path: Path, text: str, name: str = "demo.toml") -> str:
    write_survey(tmp_path, text, name)
    with pytest.raises(SurveyDefinitionError) as caught:
        load_surveys(tmp_path)
    return str(caught.value)


def test_base_definition_is_valid(tmp_path: Path) -> None:
    write_survey(tmp_path, BASE_TOML)
    survey = load_surveys(tmp_path)["demo"]
    assert survey.slug == "demo"
    assert survey.source_file == "demo.toml"
    assert [s.id for s in survey.steps] == ["about_you", "services", "service"]
    assert survey.question("comments").max_length == 10
    assert survey.question("where").max_length == 5000
    assert survey.step("service").repeat_for == "services"


def test_example_message_from_the_brief(tmp_path: Path) -> None:
    text = replaced('  { id = "prefer_not_to_say", label = "Prefer not to say" },\n', "")
    assert error_for(tmp_path, text) == (
        "demo.toml: question 'age': a question about the person needs a "
        '"Prefer not to say" choice (id "prefer_not_to_say")'
    )


CASES = {
    "unknown question type": (
        replaced('type = "single"\ntext = "How old', 'type = "dropdown"\ntext = "How old'),
        "question 'age'",
        "unknown question type 'dropdown'",
    ),
    "duplicate step id": (
        replaced('id = "services"\ntitle = "Services"', 'id = "about_you"\ntitle = "Services"'),
        "step 'about_you'",
        "step id is used more than once",
    ),
    "duplicate question id across steps": (
        replaced('id = "listened"', 'id = "age"'),
        "question 'age'",
        "used more than once in the survey",
    ),
    "duplicate choice id": (
        replaced('{ id = "housing"', '{ id = "police"'),
        "question 'services'",
        "choice id 'police' is used more than once",
    ),
    "single without choices": (
        extra('type = "single"\ntext = "Q?"'),
        "question 'extra_q'",
        "a single question needs 'choices'",
    ),
    "multi without choices": (
        extra('type = "multi"\ntext = "Q?"'),
        "question 'extra_q'",
        "a multi question needs 'choices'",
    ),
    "text with choices": (
        extra('type = "text"\ntext = "Q?"\nchoices = [{ id = "a", label = "A" }]'),
        "question 'extra_q'",
        "a text question cannot have choices",
    ),
    "repeat_for missing question": (
        replaced('repeat_for = "services"', 'repeat_for = "nothing"'),
        "step 'service'",
        "'repeat_for' names question 'nothing', which does not exist",
    ),
    "repeat_for single question": (
        replaced('repeat_for = "services"', 'repeat_for = "age"'),
        "step 'service'",
        "'repeat_for' must name a multi question; 'age' is not",
    ),
    "repeat_for text question": (
        replaced('repeat_for = "services"', 'repeat_for = "where"'),
        "step 'service'",
        "'repeat_for' must name a multi question; 'where' is not",
    ),
    "repeat_for same step": (
        replaced('repeat_for = "services"', 'repeat_for = "listened"'),
        "step 'service'",
        "in this same step",
    ),
    "repeat_for later question": (
        extra('type = "multi"\ntext = "Q?"\nchoices = [{ id = "a", label = "A" }]').replace(
            'repeat_for = "services"', 'repeat_for = "extra_q"'
        ),
        "step 'service'",
        "'repeat_for' names question 'extra_q', which comes later",
    ),
    "repeat_for question with prefer not to say": (
        replaced('{ id = "housing", label = "Housing" },', '{ id = "prefer_not_to_say", label = "Prefer not to say" },'),
        "step 'service'",
        "cannot have a \"Prefer not to say\" choice",
    ),
    "show_if missing question": (
        extra('type = "text"\ntext = "Q?"', 'show_if = { question = "nope", any_of = ["a"] }'),
        "step 'extra'",
        "'show_if' names question 'nope', which does not exist",
    ),
    "show_if text question": (
        extra('type = "text"\ntext = "Q?"', 'show_if = { question = "where", any_of = ["a"] }'),
        "step 'extra'",
        "'show_if' must name a single or multi question; 'where' is text",
    ),
    "show_if same step": (
        extra(
            'type = "single"\ntext = "Q?"\nchoices = [{ id = "a", label = "A" }]',
            'show_if = { question = "extra_q", any_of = ["a"] }',
        ),
        "step 'extra'",
        "in this same step",
    ),
    "show_if later question": (
        replaced(
            'id = "services"\ntitle = "Services"',
            'id = "services"\ntitle = "Services"\nshow_if = { question = "listened", any_of = ["yes"] }',
        ),
        "step 'services'",
        "'show_if' names question 'listened', which comes later",
    ),
    "show_if repeated question": (
        extra('type = "text"\ntext = "Q?"', 'show_if = { question = "listened", any_of = ["yes"] }'),
        "step 'extra'",
        "it is in a repeated step",
    ),
    "show_if unknown choice": (
        extra('type = "text"\ntext = "Q?"', 'show_if = { question = "services", any_of = ["fire"] }'),
        "step 'extra'",
        "'show_if' names choice 'fire', which question 'services' does not have",
    ),
    "show_if empty any_of": (
        extra('type = "text"\ntext = "Q?"', 'show_if = { question = "services", any_of = [] }'),
        "step 'extra'",
        "'show_if.any_of' must be a list of one or more choice ids",
    ),
    "about_person on a text question": (
        extra('type = "text"\ntext = "Q?"\nabout_person = true'),
        "question 'extra_q'",
        "'about_person' only applies to questions with choices",
    ),
    "missing step title": (
        replaced('title = "Services"\n', ""),
        "step 'services'",
        "'title' is missing",
    ),
    "missing survey title": (
        replaced('title = "Demo"\n', ""),
        None,
        "'title' is missing",
    ),
    "empty question text": (
        replaced('text = "Which services?"', 'text = "   "'),
        "question 'services'",
        "'text' is empty",
    ),
    "missing question text": (
        replaced('text = "Which services?"\n', ""),
        "question 'services'",
        "'text' is missing",
    ),
    "empty choice label": (
        replaced('label = "Housing"', 'label = ""'),
        "question 'services', choice 'housing'",
        "'label' is empty",
    ),
    "empty hint": (
        replaced('text = "Where?"', 'text = "Where?"\nhint = ""'),
        "question 'where'",
        "'hint' is empty",
    ),
    "sensitive without warning": (
        replaced('warning = "Gentle warning"\n', ""),
        "step 'service'",
        "a sensitive step needs a 'warning'",
    ),
    "warning without sensitive": (
        replaced("sensitive = true\n", ""),
        "step 'service'",
        "'warning' is only shown when sensitive = true",
    ),
    "sensitive not a boolean": (
        replaced("sensitive = true", 'sensitive = "yes"'),
        "step 'service'",
        "'sensitive' must be true or false",
    ),
    "unknown key in step": (
        replaced('title = "Services"', 'titel = "Services"'),
        "step 'services'",
        "unknown key 'titel' (did you mean 'title'?)",
    ),
    "unknown key in question": (
        replaced('text = "Where?"', 'text = "Where?"\nhnit = "x"'),
        "question 'where'",
        "unknown key 'hnit' (did you mean 'hint'?)",
    ),
    "unknown key in choice": (
        replaced('{ id = "housing", label = "Housing" }', '{ id = "housing", lable = "Housing" }'),
        "question 'services', choice 'housing'",
        "unknown key 'lable'",
    ),
    "unknown key in survey": (
        replaced('audience = "adult"', 'audience = "adult"\ncolour = "blue"'),
        None,
        "unknown key 'colour'",
    ),
    "unknown key in show_if": (
        extra('type = "text"\ntext = "Q?"', 'show_if = { question = "services", any = ["police"] }'),
        "step 'extra', show_if",
        "unknown key 'any'",
    ),
    "question id with capitals": (
        replaced('id = "where"', 'id = "Where"'),
        "step 'about_you', question 2",
        "'id' must be an id",
    ),
    "question id with a hyphen": (
        replaced('id = "where"', 'id = "where-now"'),
        "step 'about_you', question 2",
        "'id' must be an id",
    ),
    "choice id starting with a digit": (
        replaced('{ id = "young"', '{ id = "16_24"'),
        "question 'age', choice 1",
        "'id' must be an id",
    ),
    "step id missing": (
        replaced('id = "services"\ntitle = "Services"', 'title = "Services"'),
        "step 2",
        "'id' is missing",
    ),
    "max_length zero": (
        replaced("max_length = 10", "max_length = 0"),
        "question 'comments'",
        "'max_length' must be a whole number from 1 to 5000",
    ),
    "max_length too big": (
        replaced("max_length = 10", "max_length = 5001"),
        "question 'comments'",
        "'max_length' must be a whole number from 1 to 5000",
    ),
    "max_length as text": (
        replaced("max_length = 10", 'max_length = "10"'),
        "question 'comments'",
        "'max_length' must be a whole number from 1 to 5000",
    ),
    "max_length on a choice question": (
        replaced('text = "Which services?"', 'text = "Which services?"\nmax_length = 10'),
        "question 'services'",
        "'max_length' only applies to text questions",
    ),
    "placeholder outside a repeated step": (
        replaced('title = "Services"', 'title = "Services {choice}"'),
        "step 'services'",
        "{choice} only works in the title of a repeated step",
    ),
    "placeholder in question text": (
        replaced('text = "Tell us more"', 'text = "Tell us about {choice}"'),
        "question 'comments'",
        "{choice} only works in the title of a repeated step",
    ),
    "unknown audience": (
        replaced('audience = "adult"', 'audience = "children"'),
        None,
        "'audience' must be one of: adult, young_person, anyone",
    ),
    "steps missing": (
        BASE_TOML.split("[[steps]]")[0],
        None,
        "'steps' is missing",
    ),
    "questions missing": (
        BASE_TOML + '\n[[steps]]\nid = "empty"\ntitle = "Empty"\n',
        "step 'empty'",
        "'questions' is missing",
    ),
    "not valid TOML": (
        replaced('title = "Demo"', 'title = "Demo'),
        None,
        "this is not valid TOML",
    ),
}


@pytest.mark.parametrize("text, where, problem", CASES.values(), ids=CASES.keys())
def test_definition_errors_name_file_and_place(tmp_path: Path, text: str, where: str | None, problem: str) -> None:
    message = error_for(tmp_path, text)
    expected_start = f"demo.toml: {where}: " if where else "demo.toml: "
    assert message.startswith(expected_start), message
    assert problem in message, message


@pytest.mark.parametrize("version", ["0", "-1", '"1"', "1.5", "true"])
def test_version_must_be_a_positive_integer(tmp_path: Path, version: str) -> None:
    message = error_for(tmp_path, replaced("version = 1", f"version = {version}"))
    assert message == "demo.toml: 'version' must be a whole number, 1 or more"


def test_version_is_required(tmp_path: Path) -> None:
    message = error_for(tmp_path, replaced("version = 1\n", ""))
    assert message == "demo.toml: 'version' must be a whole number, 1 or more"


def test_file_name_must_be_a_valid_slug(tmp_path: Path) -> None:
    message = error_for(tmp_path, BASE_TOML, name="Demo-Survey.toml")
    assert message.startswith("Demo-Survey.toml: the file name must be the survey id")


def test_duplicate_survey_slugs(tmp_path: Path) -> None:
    first = write_survey(tmp_path / "one", BASE_TOML)
    second = write_survey(tmp_path / "two", BASE_TOML)
    with pytest.raises(SurveyDefinitionError) as caught:
        load_survey_files([first, second])
    assert str(caught.value).startswith("demo.toml: a survey called 'demo' is already defined")


def test_several_surveys_load_by_slug(tmp_path: Path) -> None:
    write_survey(tmp_path, BASE_TOML, "one.toml")
    write_survey(tmp_path, replaced('title = "Demo"', 'title = "Other"'), "two.toml")
    (tmp_path / "notes.txt").write_text("not a survey")
    surveys = load_surveys(tmp_path)
    assert sorted(surveys) == ["one", "two"]
    assert surveys["two"].title == "Other"


def test_empty_or_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SurveyDefinitionError, match="no survey definitions"):
        load_surveys(tmp_path)
    with pytest.raises(SurveyDefinitionError, match="does not exist"):
        load_surveys(tmp_path / "missing")


def test_text_is_stripped(tmp_path: Path) -> None:
    text = replaced('title = "Demo"', 'title = """\n  Demo survey\n"""')
    write_survey(tmp_path, text)
    assert load_surveys(tmp_path)["demo"].title == "Demo survey"
