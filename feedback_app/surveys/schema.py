"""Typed, immutable survey definitions.

Definitions live as TOML files in ``definitions/`` (see ``loader.py``) and are loaded into
these objects once. Nothing here knows about Flask, forms or translation: text is kept in
the English master wording and translated when it is shown.

Repeated steps
--------------
A step with ``repeat_for = "<question id>"`` is shown once for each choice ticked in that
(earlier, multi-choice) question, in the order of the question's choice list, not the order
the person ticked them.

Consecutive steps that share the same ``repeat_for`` form a *repeat group* and are
expanded together, choice by choice. With steps ``listened``, ``helped``, ``better`` all
repeating for ``supporters`` and School and Family ticked, the order is::

    listened.school, helped.school, better.school, listened.family, helped.family, ...

A step title in a repeated step may contain ``{choice}``; it is replaced by the
(translated) choice label when the step is shown (see ``StepInstance.render_title``).

Message contexts
----------------
A survey's texts are translated with the message context (gettext's ``msgctxt``) of its
audience, from ``MESSAGE_CONTEXTS``: the young-person survey's "How old are you?" is its
own message, so a language can address young people differently (Lithuanian "tu", not
"jūs"). Audiences without a context (adults, anyone) share context-free messages.
"""

from __future__ import annotations

from dataclasses import dataclass

QUESTION_TYPES = ("single", "multi", "text")
AUDIENCES = ("adult", "young_person", "anyone")
# audience -> msgctxt of its survey texts; audiences not listed use no context.
MESSAGE_CONTEXTS = {"young_person": "young_person"}
PREFER_NOT_TO_SAY = "prefer_not_to_say"
CHOICE_PLACEHOLDER = "{choice}"
MAX_TEXT_LENGTH = 5000


class SurveyDefinitionError(ValueError):
    """A survey definition file is wrong. The message names the file and the place."""

    def __init__(self, source: str, where: str | None, problem: str) -> None:
        self.source = source
        self.where = where
        self.problem = problem
        super().__init__(f"{source}: {where}: {problem}" if where else f"{source}: {problem}")


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    # Choosing it (e.g. "No" to "Did you feel safer?") shows a calm "If you are not safe now"
    # panel on the next screen. Nothing more is stored.
    safety_prompt: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # "single" | "multi" | "text"
    text: str
    hint: str | None = None
    choices: tuple[Choice, ...] = ()
    about_person: bool = False
    max_length: int = MAX_TEXT_LENGTH  # text questions only, in characters

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)

    def choice(self, choice_id: str) -> Choice:
        """The choice with this id; KeyError if there is none."""
        for c in self.choices:
            if c.id == choice_id:
                return c
        raise KeyError(choice_id)


@dataclass(frozen=True)
class Condition:
    """True when the answer to ``question`` includes any of ``any_of``."""

    question: str
    any_of: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: str | None
    questions: tuple[Question, ...]
    repeat_for: str | None = None
    sensitive: bool = False  # show ``warning`` first, with a way to skip the step
    warning: str | None = None
    show_if: Condition | None = None


@dataclass(frozen=True)
class Survey:
    slug: str
    version: int
    title: str
    audience: str  # "adult" | "young_person" | "anyone"
    intro: str | None
    steps: tuple[Step, ...]
    source_file: str

    @property
    def message_context(self) -> str | None:
        """The msgctxt its texts are translated with (None: no context)."""
        return MESSAGE_CONTEXTS.get(self.audience)

    def all_questions(self) -> tuple[Question, ...]:
        return tuple(q for step in self.steps for q in step.questions)

    def deciding_questions(self) -> frozenset[str]:
        """The questions whose answers decide which screens there are (``repeat_for`` and
        ``show_if``)."""
        return frozenset(
            {s.repeat_for for s in self.steps if s.repeat_for} | {s.show_if.question for s in self.steps if s.show_if}
        )

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError if there is none."""
        for q in self.all_questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def step(self, step_id: str) -> Step:
        """The step with this id; KeyError if there is none."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def step_of(self, question_id: str) -> Step:
        """The step holding this question; KeyError if there is none."""
        for s in self.steps:
            if any(q.id == question_id for q in s.questions):
                return s
        raise KeyError(question_id)
