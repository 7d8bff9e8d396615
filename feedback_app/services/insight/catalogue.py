"""The comment catalogue: which answers are comments, and what each one is about.

A *comment* is one free-text answer of one response, named by its answer name (its
*field*): ``"anything_else"`` for a text question asked once, ``"better.police"`` for a text
question a survey repeats for each service chosen. Every part of the site that deals with
comments (the coding queue, keyword suggestions, quotes, theme counts, the themed summary)
learns from here which fields are comments, which *scope* each belongs to (a service key
such as ``"services.police"``, or ``GENERAL``), which question it answers and which *kind*
of theme it is coded with. Nothing here reads a response: it is derived once per
application from the survey definitions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from ...models import THEME_KINDS
from ...surveys import Survey
from ...surveys.registry import all_surveys
from ..figures.filters import Option, service_key, service_questions, union_services

# The scope of the comments that are not about one service ("anything_else", ...).
GENERAL = "general"
GENERAL_LABEL = _l("General (not about one service)")
# Every scope, or every question of a scope: for searching and coding across them.
ALL = "all"
ALL_SCOPES_LABEL = _l("Every service, and general comments")
ALL_QUESTIONS_LABEL = _l("Every question")

# What a free-text question asks, by its id in the definitions: what helped, what could
# improve, or (any other question) something else, coded with either kind of theme.
HELPFUL = "helpful"
IMPROVEMENT = "improvement"
OTHER = "other"
QUESTION_KINDS = {"helpful": HELPFUL, "helped": HELPFUL, "better": IMPROVEMENT}
# The same question under another id in another survey (adults "helpful", young people "helped").
SAME_QUESTION = {"helpful": "helped", "helped": "helpful"}

EXTENSION_KEY = "feedback_comment_catalogue"


def kind_of(question_id: str) -> str:
    return QUESTION_KINDS.get(question_id, OTHER)


def theme_kinds(kind: str) -> tuple[str, ...]:
    """The kinds of theme a comment of ``kind`` is coded with."""
    return THEME_KINDS if kind == OTHER else (kind,)


@dataclass(frozen=True)
class CommentField:
    """One answer name of one survey that holds a comment."""

    survey: str  # survey slug
    field: str  # the answer name: "better.police", "anything_else"
    scope: str  # a service key ("services.police") or GENERAL
    question_id: str  # "better", "anything_else"
    question: str  # English master wording of the question; translate when shown
    service_label: str | None  # English master label of the service; None for GENERAL
    kind: str  # HELPFUL | IMPROVEMENT | OTHER

    @property
    def service(self) -> str | None:
        """The service key themes are matched on (None for general comments)."""
        return None if self.scope == GENERAL else self.scope


@dataclass(frozen=True)
class TextQuestion:
    id: str
    label: str  # English master wording; translate when shown

    @property
    def kind(self) -> str:
        return kind_of(self.id)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of theme its comments are coded with."""
        return theme_kinds(self.kind)


@dataclass(frozen=True)
class Source:
    """Where the comments of one scope and question are: (survey slug, answer name) pairs.

    A *mixed* source (scope or question ``ALL``) holds comments of several scopes or
    questions, and a survey may then have several answer names in it: which themes fit a
    comment is worked out from the comment's own scope and question (``source_of``)."""

    scope: str
    question: TextQuestion
    fields: tuple[tuple[str, str], ...]

    @property
    def service(self) -> str | None:
        """The service key themes are matched on (None for general comments)."""
        return None if self.scope in (GENERAL, ALL) else self.scope

    @property
    def mixed(self) -> bool:
        return self.scope == ALL or self.question.id == ALL

    def fields_by_survey(self) -> dict[str, tuple[str, ...]]:
        """Survey slug -> its answer names in this source."""
        found: dict[str, list[str]] = {}
        for slug, field in self.fields:
            found.setdefault(slug, []).append(field)
        return {slug: tuple(names) for slug, names in found.items()}

    @property
    def slugs(self) -> list[str]:
        return [slug for slug, _field in self.fields]


@dataclass(frozen=True)
class Comment:
    """One comment, opened to be shown. ``question`` and ``service`` are the English master
    wording from the survey definition (translate when shown); ``service`` is None for a
    general comment."""

    response_id: uuid.UUID
    field: str
    survey_slug: str
    survey_title: str
    language: str
    submitted_week: date
    is_demo: bool
    question: str
    service: str | None
    text: str


def fields_of(survey: Survey) -> list[CommentField]:
    """Every comment field of one survey, in the order of its steps."""
    found = []
    repeated = {q.id for q in service_questions(survey)}
    for step in survey.steps:
        for question in step.questions:
            if question.type != "text":
                continue
            kind = kind_of(question.id)
            if step.repeat_for in repeated:
                for choice in survey.question(step.repeat_for).choices:
                    found.append(
                        CommentField(
                            survey.slug,
                            f"{question.id}.{choice.id}",
                            service_key(step.repeat_for, choice.id),
                            question.id,
                            question.text,
                            choice.label,
                            kind,
                        )
                    )
            else:
                found.append(CommentField(survey.slug, question.id, GENERAL, question.id, question.text, None, kind))
    return found


class Catalogue:
    """The comment fields of a set of surveys, indexed for the questions asked of them."""

    def __init__(self, surveys: Iterable[Survey]) -> None:
        surveys = list(surveys)
        self.fields: tuple[CommentField, ...] = tuple(f for s in surveys for f in fields_of(s))
        self._by_place = {(f.survey, f.field): f for f in self.fields}
        self._services = union_services(surveys)

    def field(self, survey_slug: str, field: str) -> CommentField | None:
        """What the answer ``field`` of ``survey_slug`` is about; None if it is not a comment."""
        return self._by_place.get((survey_slug, field))

    def in_surveys(self, slugs: Iterable[str]) -> list[CommentField]:
        wanted = set(slugs)
        return [f for f in self.fields if f.survey in wanted]

    def scope_options(self) -> tuple[Option, ...]:
        """Every service (English master labels), then "general"."""
        return self._services + (Option(GENERAL, str(GENERAL_LABEL)),)

    def text_questions(self, scope: str) -> tuple[TextQuestion, ...]:
        """The text questions with comments in ``scope`` (``ALL``: in any scope), in the
        surveys' order (unknown scope: none)."""
        seen: dict[str, TextQuestion] = {}
        for f in self.fields:
            if f.scope == scope or scope == ALL:
                seen.setdefault(f.question_id, TextQuestion(f.question_id, f.question))
        return tuple(seen.values())

    def source(self, scope: str, question_id: str) -> Source | None:
        """Where the comments of ``scope`` and ``question_id`` are (either may be ``ALL``);
        None if there are none."""
        chosen = [
            f
            for f in self.fields
            if (scope == ALL or f.scope == scope) and (question_id == ALL or f.question_id == question_id)
        ]
        if not chosen:
            return None
        question = TextQuestion(ALL, "Every question") if question_id == ALL else (
            TextQuestion(question_id, chosen[0].question)
        )
        return Source(scope, question, tuple((f.survey, f.field) for f in chosen))

    def source_of(self, survey_slug: str, field: str) -> Source | None:
        """The scope and question an answer name belongs to (None: not a comment)."""
        found = self.field(survey_slug, field)
        return self.source(found.scope, found.question_id) if found else None


def catalogue() -> Catalogue:
    """The catalogue of the application's surveys, derived once (definitions never change
    while it runs)."""
    extensions = current_app.extensions
    if EXTENSION_KEY not in extensions:
        extensions[EXTENSION_KEY] = Catalogue(all_surveys().values())
    return extensions[EXTENSION_KEY]
