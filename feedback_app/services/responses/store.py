"""The one sealed-response store: the only code that seals and opens a response's *payload*
(its answers as JSON, free text included) and its *facts* (its chosen answers as tokens,
``facts``), one at a time and in bulk.

* sealing: ``seal_into`` (a new row's payload and facts, under the primary key);
* one at a time: ``open_answers`` (the answers), ``open_facts`` (the tokens; for a row
  stored before facts existed, worked out from its answers);
* in bulk: ``read_facts`` (the facts of every response a query selects, for counting),
  ``count_fact_groups`` (responses and their facts counted by survey, language, way of
  filling in and chosen tokens: for grouping) and
  ``read_answers`` (the answers of the responses a query selects, streamed in batches and
  bounded, for reading or searching comments);
* places: ``payload_place``, ``facts_place``, ``facts_place_sql``, ``legacy_payload_place``.

Places. Each blob is bound by associated data to its row and column,
``response:<id>:payload`` and ``response:<id>:facts``, the id written as 32 hex digits,
so that a blob copied onto another row or column does not open. The hex form is the one the
database can build for every row while it streams (``facts_place_sql``: SQLite keeps a UUID
as 32 hex digits, PostgreSQL's text form has dashes that are taken out), so Python never
formats a place per row when counting. Payloads sealed before the two forms were the same
are bound to ``response:<id with dashes>:payload`` (``legacy_payload_place``): they still
open (the current place is tried first, then that one), and key rotation re-seals them at
the current place.

Opening. A sealed value that does not open (altered, bound to another place, sealed with a
key that is not in the keyring, not UTF-8 or not a JSON object once opened) raises
``Unreadable``; no ``CryptoError`` leaves this module.

Reading facts in bulk is the dashboard's hot loop (about a microsecond per response): it
keeps the keyring's bound ``open`` and gathers each batch's tokens into lists that the
caller counts in C, one batch at a time. Rows stored before facts existed (migration 0004)
have their facts worked out from their answers here, so a caller of ``read_facts``
(``figures``) never sees free text. ``FACT_READERS`` names what such a caller may import.
"""

from __future__ import annotations

import json
from collections import Counter
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, String, case, cast, func, literal, select, type_coerce

from ...crypto import CryptoError
from ...extensions import db
from ...models import Response
from ...surveys import Survey
from ...surveys.registry import all_surveys
from . import facts as response_facts
from . import row_stream
from .keyring import current_keyring, open_at

# What code that only counts (``services.figures``) may import from here: none of it hands
# out free text. Checked in ``tests/unit/test_architecture.py``.
FACT_READERS = ("FactBatch", "FactGroups", "Unreadable", "count_fact_groups", "read_facts")

STREAM_BATCH = 1000

_PREFIX = "response:"
_FACTS_SUFFIX = ":facts"


class Unreadable(Exception):
    """A sealed value that does not open. ``reason`` names what failed (``"OpenFailed"``,
    ``"UnknownKey"``, ``"JSONDecodeError"``...), never any content: safe to log."""

    def __init__(self, place: str, reason: str) -> None:
        super().__init__(f"the value for {place} does not open ({reason})")
        self.place = place
        self.reason = reason


def _unreadable(place: str, error: Exception) -> Unreadable:
    return Unreadable(place, type(error).__name__)


# -- places ---------------------------------------------------------------------------------


def _place(response_id: uuid.UUID, column: str) -> str:
    return f"{_PREFIX}{response_id.hex}:{column}"


def payload_place(response_id: uuid.UUID) -> str:
    """Associated data binding a payload blob to its row: ``response:<32 hex digits>:payload``."""
    return _place(response_id, "payload")


def legacy_payload_place(response_id: uuid.UUID) -> str:
    """Where payloads sealed by earlier versions are bound: the id with dashes. Read only."""
    return f"{_PREFIX}{response_id}:payload"


def facts_place(response_id: uuid.UUID) -> str:
    """Associated data binding a facts blob to its row: ``response:<32 hex digits>:facts``."""
    return _place(response_id, "facts")


def _place_sql(column: str):
    """The place of each row's ``column`` as a SQL expression, the same text as ``_place``."""
    hex_id = func.replace(cast(Response.id, String), "-", "")
    return literal(_PREFIX) + hex_id + literal(f":{column}")


def facts_place_sql():
    """``facts_place`` of every row, built by the database (SQLite and PostgreSQL)."""
    return _place_sql("facts")


def _id_in(place: str) -> uuid.UUID:
    """The response id in a facts place."""
    return uuid.UUID(hex=place[len(_PREFIX) : -len(_FACTS_SUFFIX)])


# -- the payload format ---------------------------------------------------------------------


def encode_answers(answers: dict) -> bytes:
    return json.dumps(answers, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def decode_answers(plaintext: bytes) -> dict:
    """The answers of an opened payload; ``ValueError`` if it is not UTF-8 JSON of a mapping."""
    answers = json.loads(plaintext.decode("utf-8"))
    if not isinstance(answers, dict):
        raise ValueError("the answers are not a mapping")
    return answers


# -- sealing --------------------------------------------------------------------------------


def can_seal() -> bool:
    """Whether a keyring with its primary key is loaded (``/healthz``)."""
    try:
        keyring = current_keyring()
    except KeyError:
        return False
    return keyring.primary in keyring.keys


def seal_into(response: Response, answers: dict) -> None:
    """Seal ``answers`` into a new row (its ``id`` and ``survey_slug`` set): the payload, and
    the facts when the survey is one the registry knows, under the primary key."""
    if response.id is None:
        raise ValueError("a response needs its id before its answers are sealed")
    keyring = current_keyring()
    response.key_id = keyring.primary
    response.payload = keyring.seal(encode_answers(answers), payload_place(response.id))
    survey = all_surveys().get(response.survey_slug)
    if survey is None:
        response.facts = response.facts_key_id = None
        return
    tokens = response_facts.tokens_of(survey, answers)
    response.facts = keyring.seal(response_facts.encode(tokens), facts_place(response.id))
    response.facts_key_id = keyring.primary


# -- opening one ----------------------------------------------------------------------------

# The sealed columns ``open_facts`` reads besides the id: the payload only for a row that
# has no facts (stored before they existed).
FACT_SOURCE_COLUMNS = (
    Response.facts,
    case((Response.facts.is_(None), Response.payload), else_=None).label("payload"),
)


def open_answers(row) -> dict:
    """The answers of a response (``row``: a ``Response`` or a row with ``id`` and
    ``payload``); ``Unreadable`` if they do not open."""
    place = payload_place(row.id)
    try:
        plaintext = open_at(current_keyring(), row.payload, place, lambda: (legacy_payload_place(row.id),))
        return decode_answers(plaintext)
    except (CryptoError, ValueError) as error:  # ValueError: not UTF-8, not JSON, not a mapping
        raise _unreadable(place, error) from error


def open_facts(row, survey: Survey) -> list[str]:
    """The fact tokens of a response of ``survey`` (``row`` with ``id`` and
    ``FACT_SOURCE_COLUMNS``): its sealed facts, or for a row stored before facts existed,
    worked out from its answers. ``Unreadable`` if they do not open."""
    if row.facts is None:
        return response_facts.tokens_of(survey, open_answers(row))
    place = facts_place(row.id)
    try:
        return response_facts.decode(current_keyring().open(row.facts, place))
    except (CryptoError, ValueError) as error:  # ValueError: not UTF-8
        raise _unreadable(place, error) from error


# -- reading facts in bulk ------------------------------------------------------------------


@dataclass
class FactBatch:
    """The facts of a batch of responses, for counting: only responses holding every
    required token are in it, each once in ``surveys``, ``weeks`` and ``demo``."""

    tokens: dict[str, list[bytes]]  # survey slug -> the tokens of its responses, one list
    surveys: list[str] = field(default_factory=list)  # the slug of each response
    # The week of each response as the database gives it: a date, or its ISO text
    # (SQLite); turn the distinct values into dates after counting, not each one.
    weeks: list = field(default_factory=list)
    demo: list[bool] = field(default_factory=list)
    unreadable: list[tuple[uuid.UUID, Unreadable]] = field(default_factory=list)


# Raw values, no result processing: the first column is the facts' place, built by the
# database; the response id is read back from it only for a row that needs it.
_FACT_STREAM_COLUMNS = (
    facts_place_sql(),
    Response.survey_slug,
    type_coerce(Response.submitted_week, String),
    Response.facts,
    Response.is_demo,
)


def read_facts(
    surveys: Iterable[Survey],
    narrow: Callable[[Select], Select],
    into: Callable[[FactBatch], None],
    *,
    required: Iterable[str] = (),
    batch_size: int = STREAM_BATCH,
) -> None:
    """Hand ``into`` the facts of the responses ``narrow`` selects (it narrows a select of
    this module's columns to responses of ``surveys``, by metadata), a batch at a time,
    keeping only those that hold every token in ``required``. Responses that do not open are
    listed in their batch's ``unreadable``, never raised; those stored before facts existed
    come last.

    ``into`` counts a batch and lets it go: the batch is dropped before the next one is
    read, so its tokens' memory is reused (a generator would keep two batches alive and
    cost the dashboard a few per cent)."""
    by_slug = {s.slug: s for s in surveys}
    needles = tuple(map(response_facts.token_bytes, required))
    open_blob = current_keyring().open
    separator = response_facts.SEPARATOR
    without_facts: list[uuid.UUID] = []
    for rows in row_stream.partitions(narrow(select(*_FACT_STREAM_COLUMNS)), batch_size):
        batch = FactBatch({slug: [] for slug in by_slug})
        gathered, slugs, weeks, demo = batch.tokens, batch.surveys, batch.weeks, batch.demo
        for place, slug, raw_week, facts, is_demo in rows:
            if facts is None:
                without_facts.append(_id_in(place))
                continue
            try:
                found = open_blob(facts, place).split(separator)
            except CryptoError as error:
                batch.unreadable.append((_id_in(place), _unreadable(place, error)))
                continue
            if needles and not all(needle in found for needle in needles):
                continue
            gathered[slug] += found
            slugs.append(slug)
            weeks.append(raw_week)
            demo.append(is_demo)
        into(batch)
        del batch, gathered, slugs, weeks, demo, rows
    for start in range(0, len(without_facts), batch_size):
        into(_facts_from_answers(without_facts[start : start + batch_size], by_slug, needles))


def _facts_from_answers(ids: list[uuid.UUID], by_slug: Mapping[str, Survey], needles: tuple[bytes, ...]) -> FactBatch:
    """A batch for rows stored before facts existed: their facts worked out from their answers."""
    batch = FactBatch({slug: [] for slug in by_slug})
    statement = select(
        Response.id, Response.survey_slug, Response.submitted_week, Response.payload, Response.is_demo
    ).where(Response.id.in_(ids))
    for row in db.session.execute(statement):
        try:
            tokens = response_facts.tokens_of(by_slug[row.survey_slug], open_answers(row))
        except Unreadable as error:
            batch.unreadable.append((row.id, error))
            continue
        found = response_facts.encode(tokens).split(response_facts.SEPARATOR)
        if needles and not all(needle in found for needle in needles):
            continue
        batch.tokens[row.survey_slug] += found
        batch.surveys.append(row.survey_slug)
        batch.weeks.append(row.submitted_week)
        batch.demo.append(row.is_demo)
    return batch


@dataclass
class FactGroups:
    """Responses counted by group (``count_fact_groups``); no single response in it."""

    # (survey slug, language, collection mode, the tokens of ``keep`` held) -> responses
    counts: Counter = field(default_factory=Counter)
    # (survey slug, language, collection mode, the tokens of ``split_by`` held) -> every
    # fact token of those responses, counted (what ``figures.counting`` counts)
    tokens: dict = field(default_factory=dict)
    unreadable: int = 0


_FACT_GROUP_COLUMNS = (
    facts_place_sql(),
    Response.survey_slug,
    Response.language,
    Response.collection_mode,
    Response.facts,
)


def count_fact_groups(
    surveys: Iterable[Survey],
    narrow: Callable[[Select], Select],
    keep: Iterable[str],
    split_by: Iterable[str] = (),
    *,
    batch_size: int = STREAM_BATCH,
) -> FactGroups:
    """The responses ``narrow`` selects (as for ``read_facts``), counted by survey, language,
    way of filling in and which tokens of ``keep`` they hold; and their fact tokens counted
    by survey, language, way of filling in and which tokens of ``split_by`` they hold. One
    pass, counted in C a batch at a time, for ``figures.totals``."""
    by_slug = {s.slug: s for s in surveys}
    splitting = frozenset(map(response_facts.token_bytes, split_by))
    kept = (frozenset(map(response_facts.token_bytes, keep)) | splitting).intersection  # frozensets: hashable
    split = splitting.intersection
    open_blob = current_keyring().open
    separator = response_facts.SEPARATOR
    groups = FactGroups()
    without_facts: list[uuid.UUID] = []

    def tally(gathered: dict[tuple, list[bytes]]) -> None:
        for key, found in gathered.items():
            counter = groups.tokens.get(key)
            if counter is None:
                counter = groups.tokens[key] = Counter()
            counter.update(found)

    for rows in row_stream.partitions(narrow(select(*_FACT_GROUP_COLUMNS)), batch_size):
        keys = []
        gathered: dict[tuple, list[bytes]] = {}
        for place, slug, language, mode, facts in rows:
            if facts is None:
                without_facts.append(_id_in(place))
                continue
            try:
                found = open_blob(facts, place).split(separator)
            except CryptoError:
                groups.unreadable += 1
                continue
            held = kept(found)
            keys.append((slug, language, mode, held))
            token_key = (slug, language, mode, split(held))
            if token_key in gathered:
                gathered[token_key] += found
            else:
                gathered[token_key] = found
        groups.counts.update(keys)
        tally(gathered)
    for start in range(0, len(without_facts), batch_size):
        statement = select(
            Response.id, Response.survey_slug, Response.language, Response.collection_mode, Response.payload
        ).where(Response.id.in_(without_facts[start : start + batch_size]))
        gathered = {}
        for row in db.session.execute(statement):
            try:
                tokens = response_facts.tokens_of(by_slug[row.survey_slug], open_answers(row))
            except Unreadable:
                groups.unreadable += 1
                continue
            found = [response_facts.token_bytes(token) for token in tokens]
            groups.counts[(row.survey_slug, row.language, row.collection_mode, kept(found))] += 1
            gathered.setdefault((row.survey_slug, row.language, row.collection_mode, split(found)), []).extend(found)
        tally(gathered)
    return groups


# -- reading answers in bulk ----------------------------------------------------------------


@dataclass(frozen=True)
class OpenedAnswers:
    """One response's answers, opened for reading its comments: ``answers`` is None when the
    response does not open (``problem`` says why, without any content)."""

    id: uuid.UUID
    survey_slug: str
    language: str
    submitted_week: date
    is_demo: bool
    answers: dict | None
    problem: Unreadable | None = None


# The columns ``read_answers`` selects, in this order; ``narrow`` adds conditions and order.
ANSWER_COLUMNS = (
    Response.id,
    Response.survey_slug,
    Response.language,
    Response.submitted_week,
    Response.is_demo,
    Response.payload,
)


def read_answers(
    narrow: Callable[[Select], Select],
    into: Callable[[list[OpenedAnswers]], bool | None],
    *,
    limit: int | None = None,
    batch_size: int = STREAM_BATCH,
) -> bool:
    """Open the answers of the responses ``narrow`` selects (it narrows a select of
    ``ANSWER_COLUMNS`` by metadata and orders it), ``batch_size`` at a time, and hand each
    batch to ``into``; ``into`` returns True to stop the pass. At most ``limit`` responses
    are opened (None: all of them). Responses that do not open are handed over with their
    ``problem``, never raised.

    Returns True when ``limit`` stopped the pass while more responses were selected (the
    caller says so on the page). Only one batch of opened answers is held at a time: the
    caller keeps what it needs (ids, counts) and lets the answers go."""
    statement = narrow(select(*ANSWER_COLUMNS))
    if limit is not None:
        statement = statement.limit(limit + 1)
    keyring = current_keyring()
    opened = 0
    for rows in row_stream.partitions(statement, batch_size):
        batch = []
        for response_id, slug, language, week, is_demo, payload in rows:
            if limit is not None and opened >= limit:
                into(batch)
                return True
            opened += 1
            if not isinstance(response_id, uuid.UUID):
                response_id = uuid.UUID(str(response_id))
            batch.append(_opened(keyring, response_id, slug, language, week, is_demo, payload))
        if into(batch):
            return False
        del batch, rows
    return False


def _opened(keyring, response_id, slug, language, week, is_demo, payload) -> OpenedAnswers:
    place = payload_place(response_id)
    try:
        plaintext = open_at(keyring, bytes(payload), place, lambda: (legacy_payload_place(response_id),))
        answers = decode_answers(plaintext)
    except (CryptoError, ValueError) as error:
        return OpenedAnswers(response_id, slug, language, week, is_demo, None, _unreadable(place, error))
    return OpenedAnswers(response_id, slug, language, week, is_demo, answers)
