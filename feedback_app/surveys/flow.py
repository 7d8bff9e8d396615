"""Which steps a person sees, and reading their answers from a submitted form.

Answers are a plain, JSON-serialisable dict (this is what gets stored):

* key: the question id (``"age"``), or ``"<question id>.<choice id>"`` in a repeated step
  (``"listened.police"``);
* value: single -> a choice id; multi -> a list of choice ids in choice-list order;
  text -> the stripped text. Questions left blank are not in the dict at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from .schema import CHOICE_PLACEHOLDER, Choice, Question, Step, Survey

Answer = str | list[str]
Answers = dict[str, Answer]

NOT_OFFERED = "not_offered"  # a choice that is not in the list, or two answers to a single question
TOO_LONG = "too_long"  # text longer than the question's max_length

# Control characters (other than tab and newline) have no place in feedback and NUL
# cannot be stored in PostgreSQL text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class FormData(Protocol):
    """What ``parse_answers`` needs from a form: werkzeug's MultiDict fits."""

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class StepInstance:
    """One screen: a step, or one repetition of a repeated step for one choice."""

    key: str  # "service" or, when repeated, "service.police"
    step: Step
    choice: Choice | None = None

    def field_name(self, question: Question) -> str:
        """The answers key (and form field name) of ``question`` on this screen."""
        return question.id if self.choice is None else f"{question.id}.{self.choice.id}"

    def field_names(self) -> tuple[str, ...]:
        return tuple(self.field_name(q) for q in self.step.questions)

    def render_title(self, translate: Callable[[str], str] = str) -> str:
        """The title with ``{choice}`` replaced; ``translate`` is e.g. the survey's
        ``i18n.survey_translator(survey.message_context)``."""
        title = translate(self.step.title)
        if self.choice is None:
            return title
        return title.replace(CHOICE_PLACEHOLDER, translate(self.choice.label))


@dataclass
class ParseResult:
    answers: Answers = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field name -> NOT_OFFERED | TOO_LONG
    # field name -> every non-empty text as submitted (tidied), including text that was too long
    raw_text: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def plan(survey: Survey, answers: Mapping[str, object]) -> list[StepInstance]:
    """The screens to show, in order, given the answers so far."""
    return list(_walk(survey, answers))


def step_index(instances: list[StepInstance], key: str) -> int | None:
    for index, instance in enumerate(instances):
        if instance.key == key:
            return index
    return None


def parse_answers(survey: Survey, form: FormData) -> ParseResult:
    """Read and check every field of every screen the person would see.

    The plan is worked out as the form is read, so repeated steps and ``show_if`` follow
    the answers given in the same form. Fields of screens not in the plan (a service that
    was un-ticked, say) and unknown fields are ignored.
    """
    result = ParseResult()
    # _walk reads result.answers lazily: each step depends only on earlier steps, which
    # have been read by the time the walk reaches it.
    for instance in _walk(survey, result.answers):
        _merge(result, parse_step(instance, form))
    return result


def parse_step(instance: StepInstance, form: FormData) -> ParseResult:
    """Read and check the fields of one screen."""
    result = ParseResult()
    for question in instance.step.questions:
        name = instance.field_name(question)
        values = [v for v in form.getlist(name) if v != ""]
        if question.type == "text":
            _read_text(result, name, question, values)
        elif question.type == "single":
            if len(values) > 1 or (values and values[0] not in question.choice_ids):
                result.errors[name] = NOT_OFFERED
            elif values:
                result.answers[name] = values[0]
        else:
            if any(v not in question.choice_ids for v in values):
                result.errors[name] = NOT_OFFERED
            chosen = [cid for cid in question.choice_ids if cid in values]
            if chosen:
                result.answers[name] = chosen
    return result


def prune_answers(survey: Survey, answers: Mapping[str, Answer]) -> Answers:
    """Only the answers that belong to screens still in the plan."""
    keep = {name for instance in plan(survey, answers) for name in instance.field_names()}
    return {key: value for key, value in answers.items() if key in keep}


def _read_text(result: ParseResult, name: str, question: Question, values: list[str]) -> None:
    if not values:
        return
    # Browsers send line breaks as CRLF; count (and keep) them as one character each.
    text = _CONTROL.sub("", values[0].replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        return
    result.raw_text[name] = text
    if len(text) > question.max_length:
        result.errors[name] = TOO_LONG
    else:
        result.answers[name] = text


def _merge(into: ParseResult, part: ParseResult) -> None:
    into.answers.update(part.answers)
    into.errors.update(part.errors)
    into.raw_text.update(part.raw_text)


def _walk(survey: Survey, answers: Mapping[str, object]) -> Iterator[StepInstance]:
    """Yield visible screens in order. Answers to questions on hidden screens are ignored."""
    visible: set[str] = set()  # ids of questions on non-repeated screens shown so far
    steps = survey.steps
    i = 0
    while i < len(steps):
        step = steps[i]
        if step.repeat_for is None:
            if _shown(step, answers, visible):
                visible.update(q.id for q in step.questions)
                yield StepInstance(step.id, step)
            i += 1
            continue
        # A repeat group: consecutive steps with the same repeat_for, expanded choice by choice.
        group = [step]
        while i + len(group) < len(steps) and steps[i + len(group)].repeat_for == step.repeat_for:
            group.append(steps[i + len(group)])
        i += len(group)
        source = survey.question(step.repeat_for)
        chosen = _chosen(answers, source.id, visible)
        for choice in source.choices:
            if choice.id in chosen:
                for member in group:
                    if _shown(member, answers, visible):
                        yield StepInstance(f"{member.id}.{choice.id}", member, choice)


def _chosen(answers: Mapping[str, object], question_id: str, visible: set[str]) -> set[str]:
    if question_id not in visible:
        return set()
    value = answers.get(question_id)
    if isinstance(value, str):
        return {value}
    if isinstance(value, (list, tuple)):
        return {v for v in value if isinstance(v, str)}
    return set()


def _shown(step: Step, answers: Mapping[str, object], visible: set[str]) -> bool:
    condition = step.show_if
    return condition is None or bool(_chosen(answers, condition.question, visible) & set(condition.any_of))
