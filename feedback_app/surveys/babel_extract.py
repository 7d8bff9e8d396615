"""Babel extraction method for survey definition files.

Wire it in ``translations/babel.cfg``::

    [feedback_app.surveys.babel_extract:extract_survey: feedback_app/surveys/definitions/*.toml]

Every text a person may see is extracted: survey title and intro, step titles, intros and
warnings, question texts and hints, and choice labels. Each message carries a comment that
tells translators where it comes from, e.g. ``adult.toml question age, choice``. The file
is fully checked first, so a broken definition stops the extraction with a clear message.

A survey whose audience has a message context (``schema.MESSAGE_CONTEXTS``: the
young-person survey's "young_person") has its texts extracted as ``pgettext`` messages in
that context, so they are translated separately from the same English in other surveys;
the pages look them up with the same context (``i18n.survey_text``). The others are plain
``gettext`` messages.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from .loader import parse_survey
from .schema import CHOICE_PLACEHOLDER, Survey

Extracted = tuple[int, str, str | tuple[str, str], list[str]]


def extract_survey(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    content = fileobj.read()
    filename = os.path.basename(str(getattr(fileobj, "name", "") or "survey.toml"))
    survey = parse_survey(content, filename)
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    finder = _LineFinder(text)
    context = survey.message_context
    for message, comment in survey_messages(survey):
        if context:
            yield finder.line_of(message), "pgettext", (context, message), [comment]
        else:
            yield finder.line_of(message), "gettext", message, [comment]


def survey_messages(survey: Survey) -> Iterator[tuple[str, str]]:
    """(message, translator comment) for every translatable text, in file order."""
    f = survey.source_file
    yield survey.title, f"{f} survey title"
    if survey.intro:
        yield survey.intro, f"{f} survey introduction"
    for step in survey.steps:
        # A title that is only "{choice}" has nothing to translate.
        if step.title != CHOICE_PLACEHOLDER:
            note = ""
            if step.repeat_for:
                note = f" (keep {CHOICE_PLACEHOLDER}: it becomes an answer to '{step.repeat_for}')"
            yield step.title, f"{f} step {step.id}, title{note}"
        if step.intro:
            yield step.intro, f"{f} step {step.id}, introduction"
        if step.warning:
            yield step.warning, f"{f} step {step.id}, gentle warning shown before the step"
        for question in step.questions:
            yield question.text, f"{f} question {question.id}"
            if question.hint:
                yield question.hint, f"{f} question {question.id}, hint"
            for choice in question.choices:
                yield choice.label, f"{f} question {question.id}, choice"


class _LineFinder:
    """Best-effort line numbers: the next place, after the last one, where a message appears."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self.last_line = 1

    def line_of(self, message: str) -> int:
        first_line = message.splitlines()[0] if message else message
        candidates = [f'"{message}"', f"'{message}'", message, first_line[:40], first_line[:15]]
        for start in (self.cursor, 0):
            for candidate in candidates:
                position = self.text.find(candidate, start) if candidate else -1
                if position >= 0:
                    self.cursor = position + len(candidate)
                    self.last_line = self.text.count("\n", 0, position) + 1
                    return self.last_line
        return self.last_line
