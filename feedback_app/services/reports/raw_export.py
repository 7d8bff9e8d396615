"""The raw anonymised response export (admins only): one CSV row per response.

What a row holds: a row number (never the response id), the survey and its version, the
language, how it was collected, the week it arrived (a Monday), whether it is demo data,
and the *chosen* answers: one column per choice question (a question repeated for each
service is one column per service, e.g. ``listened.police``), multi-choice answers joined
with ";", as the choice ids of the survey definitions.

What it never holds: free text (people may name themselves or others in it), the response
id, and the organisation of a worker-assisted response (with the week and the language it
could point to one person the organisation supported).

Only choices the definitions offer are written, so nothing typed can reach the file even
through a tampered answer. Rows are read from the database in batches (``yield_per``) and
their facts opened one at a time by the sealed-response store (``responses.store``); the
CSV is yielded in small chunks, so memory stays flat however many responses there are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...models import Response
from ...surveys import Survey
from ..figures.filters import Filters, required_facts, surveys_in_scope, where_metadata
from ..responses import facts as response_facts
from ..responses import store
from .exports import BOM, csv_line
from .spreadsheet_safety import neutralise_text

STREAM_BATCH = 1000
ROWS_PER_CHUNK = 200
MULTI_SEPARATOR = ";"
FIXED_COLUMNS = ("row", "survey", "survey_version", "language", "collection_mode", "submitted_week", "is_demo")


@dataclass
class RowCounter:
    """Pass one to ``iter_raw_csv`` to learn how many rows it wrote."""

    rows: int = 0
    unreadable: int = 0


@dataclass(frozen=True)
class Column:
    name: str  # the answer name: "gender", "services", "listened.police"
    multi: bool


def answer_columns(surveys: list[Survey]) -> list[Column]:
    """The answer columns for ``surveys``: every choice question, first seen first."""
    seen: dict[str, Column] = {}
    for survey in surveys:
        for name, question in _choice_answers(survey):
            seen.setdefault(name, Column(name, question.type == "multi"))
    return list(seen.values())


def header(surveys: list[Survey]) -> list[str]:
    return [*FIXED_COLUMNS, *(c.name for c in answer_columns(surveys))]


def iter_raw_csv(filters: Filters, counter: RowCounter | None = None) -> Iterator[str]:
    """The export as CSV text chunks (header first). Needs an application context."""
    counter = counter if counter is not None else RowCounter()
    surveys = surveys_in_scope(filters)
    columns = answer_columns(surveys)
    position = {column.name: index for index, column in enumerate(columns)}
    known = {s.slug: _known_choices(s) for s in surveys}
    by_slug = {s.slug: s for s in surveys}
    yield BOM + csv_line(header(surveys))
    if not surveys:
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    in_chunk = 0
    required = required_facts(filters)
    for row in _stream(filters, list(known)):
        tokens = _tokens(row, by_slug[row.survey_slug])
        if tokens is None:
            counter.unreadable += 1
            continue
        if not all(token in tokens for token in required):
            continue
        answers = _chosen(tokens, known[row.survey_slug])
        counter.rows += 1
        cells = [""] * len(columns)
        for name, chosen in answers.items():
            if name in position:
                cells[position[name]] = MULTI_SEPARATOR.join(chosen)
        writer.writerow(
            [
                counter.rows,
                neutralise_text(row.survey_slug),
                row.survey_version,
                neutralise_text(row.language),
                neutralise_text(row.collection_mode),
                row.submitted_week.isoformat(),
                "yes" if row.is_demo else "no",
                *map(neutralise_text, cells),
            ]
        )
        in_chunk += 1
        if in_chunk == ROWS_PER_CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            in_chunk = 0
    if in_chunk:
        yield buffer.getvalue()


# Never the organisation, never anything typed.
_COLUMNS = (
    Response.id,
    Response.survey_slug,
    Response.survey_version,
    Response.language,
    Response.collection_mode,
    Response.submitted_week,
    Response.is_demo,
    # The sealed facts (the full answers only for rows stored before facts existed).
    *store.FACT_SOURCE_COLUMNS,
)


def _stream(filters: Filters, slugs: list[str]) -> Iterator:
    statement = where_metadata(select(*_COLUMNS), filters, slugs)
    # In the order of the (random) response ids: the order of the rows says nothing about
    # the order the responses came in, and the primary key's index serves it without a sort.
    statement = statement.order_by(Response.id)
    yield from db.session.execute(statement.execution_options(yield_per=STREAM_BATCH))


def _choice_answers(survey: Survey):
    """(answer name, question) for every choice question, repeated ones per service."""
    for step in survey.steps:
        for question in step.questions:
            if question.type not in ("single", "multi"):
                continue
            if step.repeat_for:
                for choice_id in survey.question(step.repeat_for).choice_ids:
                    yield f"{question.id}.{choice_id}", question
            else:
                yield question.id, question


def _known_choices(survey: Survey) -> dict[str, frozenset[str]]:
    """{answer name: the choice ids the definition offers} for one survey."""
    return {name: frozenset(question.choice_ids) for name, question in _choice_answers(survey)}


def _tokens(row, survey: Survey) -> list[str] | None:
    """The fact tokens of one response, or None if it does not open: from its sealed facts
    (chosen answers only) where it has them, otherwise from its full answers."""
    try:
        return store.open_facts(row, survey)
    except store.Unreadable:
        return None


def _chosen(tokens: list[str], known: dict[str, frozenset[str]]) -> dict[str, list[str]]:
    """{answer name: chosen choice ids}, only choices the definition offers."""
    chosen: dict[str, list[str]] = {}
    for token in tokens:
        parsed = response_facts.parse_token(token)
        if parsed is not None and parsed[1] in known.get(parsed[0], ()):
            chosen.setdefault(parsed[0], []).append(parsed[1])
    return chosen
