"""Read survey definition files (TOML) into ``Survey`` objects, checking them thoroughly.

One survey per file, named ``<slug>.toml``. Every problem raises ``SurveyDefinitionError``
naming the file and the step or question, so whoever edits the wording can fix it without
reading Python. Unknown keys are errors (they are usually typos).

The format (ids: lowercase letters, digits and _, starting with a letter)::

    version = 1                      # raise when the meaning of a question changes
    title = "Your experience of services"
    audience = "adult"               # adult | young_person | anyone
    intro = "Thank you ..."          # optional

    [[steps]]                        # one screen; steps appear in file order
    id = "service"
    title = "{choice}"               # {choice} only in a repeated step's title
    intro = "..."                    # optional
    repeat_for = "services"          # optional: an earlier multi question
    show_if = { question = "services", any_of = ["police"] }   # optional
    sensitive = true                 # optional: gentle warning first, can be skipped
    warning = "The next questions ..."                         # needed when sensitive

    [[steps.questions]]
    id = "listened"                  # unique in the whole survey
    type = "single"                  # single | multi | text
    text = "Did you feel listened to and understood?"
    hint = "..."                     # optional
    about_person = false             # true needs a "prefer_not_to_say" choice
    max_length = 5000                # text questions only, 1 to 5000
    choices = [
      { id = "yes", label = "Yes" },
      { id = "no", label = "No", safety_prompt = true },   # optional: the next screen shows
      { id = "prefer_not_to_say", label = "Prefer not to say" },   # "If you are not safe now"
    ]
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from .schema import (
    AUDIENCES,
    CHOICE_PLACEHOLDER,
    MAX_TEXT_LENGTH,
    PREFER_NOT_TO_SAY,
    QUESTION_TYPES,
    Choice,
    Condition,
    Question,
    Step,
    Survey,
    SurveyDefinitionError,
)

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")

SURVEY_KEYS = ("version", "title", "audience", "intro", "steps")
STEP_KEYS = ("id", "title", "intro", "questions", "repeat_for", "sensitive", "warning", "show_if")
QUESTION_KEYS = ("id", "type", "text", "hint", "choices", "about_person", "max_length")
CHOICE_KEYS = ("id", "label", "safety_prompt")
CONDITION_KEYS = ("question", "any_of")


def load_surveys(directory: str | Path | None = None) -> dict[str, Survey]:
    """Every ``*.toml`` survey in ``directory`` (default: the shipped definitions), by slug."""
    folder = Path(directory) if directory is not None else DEFINITIONS_DIR
    if not folder.is_dir():
        raise SurveyDefinitionError(str(folder), None, "this folder does not exist")
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise SurveyDefinitionError(str(folder), None, "no survey definitions (*.toml) found")
    return load_survey_files(paths)


def load_survey_files(paths: Iterable[str | Path]) -> dict[str, Survey]:
    """Load several files; two surveys with the same slug are an error."""
    surveys: dict[str, Survey] = {}
    for path in paths:
        survey = load_survey_file(path)
        if survey.slug in surveys:
            raise SurveyDefinitionError(
                survey.source_file,
                None,
                f"a survey called '{survey.slug}' is already defined "
                f"(in another {surveys[survey.slug].source_file})",
            )
        surveys[survey.slug] = survey
    return surveys


def load_survey_file(path: str | Path) -> Survey:
    path = Path(path)
    return parse_survey(path.read_bytes(), path.name)


def parse_survey(content: bytes | str, filename: str) -> Survey:
    """Build and check one survey from the text of ``filename`` (its stem is the slug)."""
    slug = filename.removesuffix(".toml")
    if not ID_PATTERN.fullmatch(slug):
        raise SurveyDefinitionError(
            filename, None, "the file name must be the survey id: lowercase letters, digits and _"
        )
    try:
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise SurveyDefinitionError(filename, None, "the file must be saved as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise SurveyDefinitionError(filename, None, f"this is not valid TOML ({error})") from None
    return _Builder(filename).survey(slug, data)


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str | None, problem: str) -> NoReturn:
        raise SurveyDefinitionError(self.source, where, problem)

    # --- small typed readers -------------------------------------------------------------

    def check_keys(self, table: dict[str, Any], allowed: tuple[str, ...], where: str | None) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
                self.fail(where, f"unknown key '{key}' ({hint})")

    def tables(self, table: dict[str, Any], key: str, where: str | None) -> list[dict[str, Any]]:
        value = table.get(key)
        if value is None:
            self.fail(where, f"'{key}' is missing")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(where, f"'{key}' must be a list of tables")
        if not value:
            self.fail(where, f"'{key}' is empty")
        return value

    def text(
        self, table: dict[str, Any], key: str, where: str | None, *, placeholder_ok: bool = False
    ) -> str:
        if table.get(key) is None:
            self.fail(where, f"'{key}' is missing")
        value = table[key]
        if not isinstance(value, str):
            self.fail(where, f"'{key}' must be text in quotes")
        value = value.strip()
        if not value:
            self.fail(where, f"'{key}' is empty")
        if CHOICE_PLACEHOLDER in value and not placeholder_ok:
            self.fail(where, f"'{key}': {CHOICE_PLACEHOLDER} only works in the title of a repeated step")
        return value

    def optional_text(self, table: dict[str, Any], key: str, where: str | None) -> str | None:
        if key not in table:
            return None
        if isinstance(table[key], str) and not table[key].strip():
            self.fail(where, f"'{key}' is empty (leave it out instead)")
        return self.text(table, key, where)

    def ident(self, table: dict[str, Any], key: str, where: str | None) -> str:
        value = table.get(key)
        if value is None:
            self.fail(where, f"'{key}' is missing")
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            self.fail(
                where,
                f"'{key}' must be an id: lowercase letters, digits and _, "
                f"starting with a letter (got {value!r})",
            )
        return value

    def flag(self, table: dict[str, Any], key: str, where: str | None) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.fail(where, f"'{key}' must be true or false")
        return value

    # --- the objects ---------------------------------------------------------------------

    def survey(self, slug: str, data: dict[str, Any]) -> Survey:
        self.check_keys(data, SURVEY_KEYS, None)
        version = data.get("version")
        if type(version) is not int or version < 1:
            self.fail(None, "'version' must be a whole number, 1 or more")
        title = self.text(data, "title", None)
        audience = data.get("audience")
        if audience not in AUDIENCES:
            self.fail(None, f"'audience' must be one of: {', '.join(AUDIENCES)} (got {audience!r})")
        intro = self.optional_text(data, "intro", None)
        steps = tuple(self.step(raw, n) for n, raw in enumerate(self.tables(data, "steps", None), 1))
        self.check_unique_ids(steps)
        self.check_references(steps)
        return Survey(slug, version, title, audience, intro, steps, self.source)

    def step(self, raw: dict[str, Any], n: int) -> Step:
        step_id = self.ident(raw, "id", f"step {n}")
        where = f"step '{step_id}'"
        self.check_keys(raw, STEP_KEYS, where)
        repeat_for = self.ident(raw, "repeat_for", where) if "repeat_for" in raw else None
        title = self.text(raw, "title", where, placeholder_ok=repeat_for is not None)
        intro = self.optional_text(raw, "intro", where)
        sensitive = self.flag(raw, "sensitive", where)
        warning = self.optional_text(raw, "warning", where)
        if sensitive and warning is None:
            self.fail(where, "a sensitive step needs a 'warning': the gentle note shown before it")
        if warning is not None and not sensitive:
            self.fail(where, "'warning' is only shown when sensitive = true")
        show_if = self.condition(raw["show_if"], where) if "show_if" in raw else None
        questions = self.tables(raw, "questions", where)
        return Step(
            id=step_id,
            title=title,
            intro=intro,
            questions=tuple(self.question(q, where, i) for i, q in enumerate(questions, 1)),
            repeat_for=repeat_for,
            sensitive=sensitive,
            warning=warning,
            show_if=show_if,
        )

    def condition(self, raw: Any, where: str) -> Condition:
        if not isinstance(raw, dict):
            self.fail(where, "'show_if' must be a table: { question = \"...\", any_of = [\"...\"] }")
        self.check_keys(raw, CONDITION_KEYS, f"{where}, show_if")
        question = self.ident(raw, "question", f"{where}, show_if")
        any_of = raw.get("any_of")
        if not isinstance(any_of, list) or not any_of or not all(isinstance(c, str) for c in any_of):
            self.fail(where, "'show_if.any_of' must be a list of one or more choice ids")
        return Condition(question, tuple(any_of))

    def question(self, raw: dict[str, Any], step_where: str, n: int) -> Question:
        qid = self.ident(raw, "id", f"{step_where}, question {n}")
        where = f"question '{qid}'"
        self.check_keys(raw, QUESTION_KEYS, where)
        qtype = raw.get("type")
        if qtype not in QUESTION_TYPES:
            self.fail(where, f"unknown question type {qtype!r} (use one of: {', '.join(QUESTION_TYPES)})")
        text = self.text(raw, "text", where)
        hint = self.optional_text(raw, "hint", where)
        choices: tuple[Choice, ...] = ()
        if "choices" in raw:
            raw_choices = self.tables(raw, "choices", where)
            choices = tuple(self.choice(c, where, i) for i, c in enumerate(raw_choices, 1))
        if qtype == "text" and choices:
            self.fail(where, "a text question cannot have choices")
        if qtype != "text" and not choices:
            self.fail(where, f"a {qtype} question needs 'choices'")
        ids = [c.id for c in choices]
        for cid in ids:
            if ids.count(cid) > 1:
                self.fail(where, f"choice id '{cid}' is used more than once")
        about_person = self.flag(raw, "about_person", where)
        if about_person and qtype == "text":
            self.fail(where, "'about_person' only applies to questions with choices")
        if about_person and PREFER_NOT_TO_SAY not in ids:
            self.fail(
                where,
                f'a question about the person needs a "Prefer not to say" choice (id "{PREFER_NOT_TO_SAY}")',
            )
        if "max_length" in raw and qtype != "text":
            self.fail(where, "'max_length' only applies to text questions")
        max_length = raw.get("max_length", MAX_TEXT_LENGTH)
        if type(max_length) is not int or not 1 <= max_length <= MAX_TEXT_LENGTH:
            self.fail(where, f"'max_length' must be a whole number from 1 to {MAX_TEXT_LENGTH}")
        return Question(qid, qtype, text, hint, choices, about_person, max_length)

    def choice(self, raw: dict[str, Any], question_where: str, n: int) -> Choice:
        cid = self.ident(raw, "id", f"{question_where}, choice {n}")
        where = f"{question_where}, choice '{cid}'"
        self.check_keys(raw, CHOICE_KEYS, where)
        return Choice(cid, self.text(raw, "label", where), self.flag(raw, "safety_prompt", where))

    # --- checks across the whole survey --------------------------------------------------

    def check_unique_ids(self, steps: tuple[Step, ...]) -> None:
        step_ids: set[str] = set()
        question_ids: set[str] = set()
        for step in steps:
            if step.id in step_ids:
                self.fail(f"step '{step.id}'", "this step id is used more than once")
            step_ids.add(step.id)
            for q in step.questions:
                if q.id in question_ids:
                    self.fail(f"question '{q.id}'", "this question id is used more than once in the survey")
                question_ids.add(q.id)

    def check_references(self, steps: tuple[Step, ...]) -> None:
        for index, step in enumerate(steps):
            where = f"step '{step.id}'"
            if step.repeat_for is not None:
                target = self.earlier_question(steps, index, step.repeat_for, where, "repeat_for")
                if target.type != "multi":
                    self.fail(where, f"'repeat_for' must name a multi question; '{target.id}' is not")
                if PREFER_NOT_TO_SAY in target.choice_ids:
                    self.fail(
                        where, f"'repeat_for' question '{target.id}' cannot have a \"Prefer not to say\" choice"
                    )
            if step.show_if is not None:
                target = self.earlier_question(steps, index, step.show_if.question, where, "show_if")
                if target.type == "text":
                    self.fail(where, f"'show_if' must name a single or multi question; '{target.id}' is text")
                for cid in step.show_if.any_of:
                    if cid not in target.choice_ids:
                        self.fail(
                            where, f"'show_if' names choice '{cid}', which question '{target.id}' does not have"
                        )

    def earlier_question(
        self, steps: tuple[Step, ...], index: int, qid: str, where: str, key: str
    ) -> Question:
        named = f"'{key}' names question '{qid}'"
        for position, step in enumerate(steps):
            for q in step.questions:
                if q.id != qid:
                    continue
                if position == index:
                    self.fail(where, f"{named} in this same step; it must be in an earlier step")
                if position > index:
                    self.fail(where, f"{named}, which comes later; it must be in an earlier step")
                if step.repeat_for is not None:
                    self.fail(where, f"'{key}' cannot name question '{qid}': it is in a repeated step")
                return q
        self.fail(where, f"{named}, which does not exist")
