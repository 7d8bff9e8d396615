"""The Babel extractor finds every translatable text of a definition."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract, extract_from_dir
from survey_helpers import BASE_TOML, replaced

from feedback_app.surveys import Survey, SurveyDefinitionError, load_surveys
from feedback_app.surveys.babel_extract import extract_survey
from feedback_app.surveys.loader import DEFINITIONS_DIR

METHOD = "feedback_app.surveys.babel_extract:extract_survey"


def expected_messages(survey: Survey) -> set[str]:
    texts: set[str | None] = {survey.title, survey.intro}
    for step in survey.steps:
        texts |= {step.title, step.intro, step.warning}
        for q in step.questions:
            texts |= {q.text, q.hint, *(c.label for c in q.choices)}
    return {t for t in texts if t and t != "{choice}"}


def run_extractor(path: Path) -> list[tuple[int, str, str, list[str]]]:
    """The extractor's results, with a message in a context given as its text alone."""
    with path.open("rb") as fileobj:
        return [
            (lineno, funcname, message[1] if isinstance(message, tuple) else message, comments)
            for lineno, funcname, message, comments in extract_survey(fileobj, DEFAULT_KEYWORDS.keys(), [], {})
        ]


@pytest.mark.parametrize("slug", ["adult", "young_person", "seeking_support"])
def test_every_text_of_a_definition_is_extracted(slug: str) -> None:
    survey = load_surveys()[slug]
    path = DEFINITIONS_DIR / f"{slug}.toml"
    results = run_extractor(path)
    assert {message for _, _, message, _ in results} == expected_messages(survey)
    # The young-person survey's texts are messages of their own (msgctxt "young_person").
    assert {funcname for _, funcname, _, _ in results} == {"pgettext" if slug == "young_person" else "gettext"}
    labels = {c.label for q in survey.all_questions() for c in q.choices}
    assert labels <= {message for _, _, message, _ in results}
    content = path.read_text(encoding="utf-8")
    lines = content.splitlines()
    for lineno, _, message, comments in results:
        assert len(comments) == 1 and comments[0].startswith(f"{slug}.toml ")
        if message in content:  # not wrapped over several lines in the file
            assert message in lines[lineno - 1], (lineno, message)
        else:
            assert message.startswith(lines[lineno - 1].strip().rstrip("\\").strip()), (lineno, message)


def test_comments_give_context() -> None:
    results = run_extractor(DEFINITIONS_DIR / "adult.toml")
    by_message: dict[str, list[str]] = {}
    for _, _, message, comments in results:
        by_message.setdefault(message, []).extend(comments)
    assert by_message["16 to 24"] == ["adult.toml question age, choice"]
    assert by_message["How old are you?"] == ["adult.toml question age"]
    assert by_message["Your experience of services"] == ["adult.toml survey title"]
    assert len(by_message["Prefer not to say"]) == 6  # age, gender, area, listened, safer, preferred_support


def test_repeated_lines_are_found_in_order(tmp_path: Path) -> None:
    path = tmp_path / "demo.toml"
    path.write_text(BASE_TOML, encoding="utf-8")
    lines = BASE_TOML.splitlines()
    found = [(lineno, message) for lineno, _, message, _ in run_extractor(path)]
    assert [lineno for lineno, _ in found] == sorted(lineno for lineno, _ in found)
    yes_lines = [lineno for lineno, message in found if message == "Yes"]
    assert len(yes_lines) == 1 and lines[yes_lines[0] - 1].strip() == '{ id = "yes", label = "Yes" },'


def test_broken_definition_stops_extraction(tmp_path: Path) -> None:
    path = tmp_path / "demo.toml"
    path.write_text(replaced('title = "Services"', 'titel = "Services"'), encoding="utf-8")
    with pytest.raises(SurveyDefinitionError, match="demo.toml: step 'services': unknown key 'titel'"):
        run_extractor(path)


def test_works_through_babel() -> None:
    with (DEFINITIONS_DIR / "young_person.toml").open("rb") as fileobj:
        found = list(extract(METHOD, fileobj))
    messages = {message for _, message, _, _ in found}
    assert "Young People's IDVA (a support worker for young people)" in messages
    # Babel reads the context from the pgettext result: (lineno, message, comments, context).
    assert {result[3] for result in found} == {"young_person"}
    with (DEFINITIONS_DIR / "adult.toml").open("rb") as fileobj:
        assert {result[3] for result in extract(METHOD, fileobj)} == {None}
    found = list(extract_from_dir(str(DEFINITIONS_DIR), method_map=[("*.toml", METHOD)]))
    assert {filename for filename, *_ in found} == {"adult.toml", "young_person.toml", "seeking_support.toml"}


def test_extractor_accepts_nameless_file_objects() -> None:
    results = list(extract_survey(io.BytesIO(BASE_TOML.encode()), ["gettext"], [], {}))
    assert results[0][2] == "Demo"
    assert results[0][3] == ["survey.toml survey title"]
