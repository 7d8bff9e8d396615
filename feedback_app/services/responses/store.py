"""The one sealed-response store: the only code that seals and opens a response's *payload*
(its answers as JSON), its *narrative* (its free text, once narrative keys exist) and its
*facts* (its chosen answers as tokens, ``facts``), one at a time and in bulk.

* sealing: ``seal_into`` (a new row's payload, narrative and facts);
* one at a time: ``open_answers`` (the answers), ``open_facts`` (the tokens; for a row
  stored before facts existed, worked out from its answers);
* in bulk: ``read_facts`` (the facts of every response a query selects, for counting),
  ``count_fact_groups`` (responses and their facts counted by survey, language, way of
  filling in and chosen tokens: for grouping) and
  ``read_answers`` (the answers of the responses a query selects, streamed in batches and
  bounded, for reading or searching comments);
* places: ``payload_place``, ``facts_place``, ``facts_place_sql``, ``legacy_payload_place``,
  ``narrative_place``;
* narratives: ``narrate`` (moves a row's words from its payload into a narrative) and
  ``reseal_narrative`` (to a new narrative key), for ``flask narratives migrate`` / ``rotate``.

Two kinds of sealed value. Once the partnership has a narrative key
(``narrative_keys.current_public_key``), a response's free-text answers (every answer that is
not a chosen one, ``facts.is_chosen``) are sealed together as JSON into ``narrative``, to the
narrative PUBLIC key, bound to ``response:<id>:narrative``; the keyring-sealed payload keeps
the chosen answers and ``"~written"``, the answer names that were written (never the words).
Only a request with a coordinator's unlocked private key (``narrative_keys.opener_for``)
opens a narrative: without one, ``open_answers`` and ``read_answers`` give the answers
without words (``words_required=True`` raises ``NarrativesLocked`` instead). Before any
narrative key exists, words stay in the payload as they always were.

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
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, String, case, cast, func, literal, select, type_coerce

from ...crypto import CryptoError, NarrativeKey, NarrativeOpener, narrative_key_id
from ...extensions import db
from ...models import Response
from ...surveys import Survey
from ...surveys.registry import all_surveys
from . import facts as response_facts
from . import narrative_keys, row_stream
from .keyring import current_keyring, open_at
from .narrative_keys import NarrativesLocked

# In a payload sealed with a narrative beside it: the answer names whose words are there.
WRITTEN = "~written"

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


def narrative_place(response_id: uuid.UUID) -> str:
    """Associated data binding a narrative to its row: ``response:<32 hex digits>:narrative``."""
    return _place(response_id, "narrative")


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
    survey = all_surveys().get(response.survey_slug)
    public = narrative_keys.current_public_key()
    kept, response.narrative, response.narrative_key_id = answers, None, None
    if public is not None:
        kept, words = split_words(survey, answers)
        if words:
            response.narrative = public.seal(encode_answers(words), narrative_place(response.id))
            response.narrative_key_id = public.key_id
    response.key_id = keyring.primary
    response.payload = keyring.seal(encode_answers(kept), payload_place(response.id))
    if survey is None:
        response.facts = response.facts_key_id = None
        return
    tokens = response_facts.tokens_of(survey, answers)
    response.facts = keyring.seal(response_facts.encode(tokens), facts_place(response.id))
    response.facts_key_id = keyring.primary


def split_words(survey: Survey | None, answers: dict) -> tuple[dict, dict]:
    """``(chosen answers with "~written", words)``: what the keyring may seal, and what only a
    narrative may."""
    kept = {name: value for name, value in answers.items() if name != WRITTEN and response_facts.is_chosen(survey, name)}
    words = {name: value for name, value in answers.items() if name != WRITTEN and name not in kept}
    if words:
        kept[WRITTEN] = sorted(words)
    return kept, words


def _open_words(response_id: uuid.UUID, blob, required: bool) -> dict | None:
    """The words of a narrative, None if no key for it is unlocked (``NarrativesLocked``
    if ``required``); ``Unreadable`` if it does not open."""
    place = narrative_place(response_id)
    try:
        opener = narrative_keys.opener_for(narrative_key_id(blob))
        if opener is None:
            if required:
                raise NarrativesLocked()
            return None
        return decode_answers(opener.open(bytes(blob), place))
    except (CryptoError, ValueError) as error:
        raise _unreadable(place, error) from error


def _with_words(response_id: uuid.UUID, answers: dict, narrative, required: bool) -> dict:
    answers.pop(WRITTEN, None)
    if narrative is not None:
        words = _open_words(response_id, narrative, required)
        if words is not None:
            answers.update(words)
    return answers


# -- opening one ----------------------------------------------------------------------------

# The sealed columns ``open_facts`` reads besides the id: the payload only for a row that
# has no facts (stored before they existed).
FACT_SOURCE_COLUMNS = (
    Response.facts,
    case((Response.facts.is_(None), Response.payload), else_=None).label("payload"),
)


def open_answers(row, *, words_required: bool = False) -> dict:
    """The answers of a response (``row``: a ``Response`` or a row with ``id``, ``payload``
    and, for its words, ``narrative``); ``Unreadable`` if they do not open. The words are in
    only when a narrative key is unlocked for this request; without one they are left out
    (or, ``words_required``, ``NarrativesLocked`` is raised)."""
    answers = _open_payload(row)
    return _with_words(row.id, answers, getattr(row, "narrative", None), words_required)


def _open_payload(row) -> dict:
    """The keyring-sealed answers of a row as stored (``"~written"`` included)."""
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
        return response_facts.tokens_of(survey, _open_payload(row))
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
    for row, found in _worked_out_facts(ids, by_slug, Response.submitted_week, Response.is_demo):
        if isinstance(found, Unreadable):
            batch.unreadable.append((row.id, found))
            continue
        if needles and not all(needle in found for needle in needles):
            continue
        batch.tokens[row.survey_slug] += found
        batch.surveys.append(row.survey_slug)
        batch.weeks.append(row.submitted_week)
        batch.demo.append(row.is_demo)
    return batch


def _worked_out_facts(ids: list[uuid.UUID], by_slug: Mapping[str, Survey], *columns) -> Iterator[tuple]:
    """Rows stored before facts existed (``id``, ``survey_slug`` and ``columns``), each with
    its facts worked out from its chosen answers, as a facts blob splits into them, or the
    ``Unreadable`` that says why they do not open."""
    statement = select(Response.id, Response.survey_slug, Response.payload, *columns).where(Response.id.in_(ids))
    for row in db.session.execute(statement):
        try:
            tokens = response_facts.tokens_of(by_slug[row.survey_slug], _open_payload(row))
        except Unreadable as error:
            yield row, error
            continue
        yield row, response_facts.encode(tokens).split(response_facts.SEPARATOR)


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
        ids = without_facts[start : start + batch_size]
        gathered = {}
        for row, found in _worked_out_facts(ids, by_slug, Response.language, Response.collection_mode):
            if isinstance(found, Unreadable):
                groups.unreadable += 1
                continue
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
    # True when the response has words and no narrative key is unlocked: ``answers`` lacks them.
    words_locked: bool = False
    # The answer names written in words (from the payload's "~written", whether or not the
    # words were opened): enough to know which comments exist without opening any.
    written: frozenset = frozenset()


# The columns ``read_answers`` selects, in this order; ``narrow`` adds conditions and order.
ANSWER_COLUMNS = (
    Response.id,
    Response.survey_slug,
    Response.language,
    Response.submitted_week,
    Response.is_demo,
    Response.payload,
    Response.narrative,
)


def read_answers(
    narrow: Callable[[Select], Select],
    into: Callable[[list[OpenedAnswers]], bool | None],
    *,
    limit: int | None = None,
    batch_size: int = STREAM_BATCH,
    words: bool = True,
) -> bool:
    """Open the answers of the responses ``narrow`` selects (it narrows a select of
    ``ANSWER_COLUMNS`` by metadata and orders it), ``batch_size`` at a time, and hand each
    batch to ``into``; ``into`` returns True to stop the pass. At most ``limit`` responses
    are opened (None: all of them). Responses that do not open are handed over with their
    ``problem``, never raised.

    With ``words=False`` no narrative is opened: each batch says which answers were written
    (``written``) without the words, which is all a pass that only lists comments needs.

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
        for response_id, slug, language, week, is_demo, payload, narrative in rows:
            if limit is not None and opened >= limit:
                into(batch)
                return True
            opened += 1
            if not isinstance(response_id, uuid.UUID):
                response_id = uuid.UUID(str(response_id))
            batch.append(_opened(keyring, response_id, slug, language, week, is_demo, payload, narrative if words else None))
        if into(batch):
            return False
        del batch, rows
    return False


def _opened(keyring, response_id, slug, language, week, is_demo, payload, narrative) -> OpenedAnswers:
    place = payload_place(response_id)
    try:
        plaintext = open_at(keyring, bytes(payload), place, lambda: (legacy_payload_place(response_id),))
        answers = decode_answers(plaintext)
    except (CryptoError, ValueError) as error:
        return OpenedAnswers(response_id, slug, language, week, is_demo, None, _unreadable(place, error))
    written = answers.pop(WRITTEN, None)
    written = frozenset(written) if isinstance(written, list) else frozenset()
    if narrative is None:
        return OpenedAnswers(response_id, slug, language, week, is_demo, answers, written=written)
    try:
        words = _open_words(response_id, narrative, False)
    except Unreadable as error:
        return OpenedAnswers(response_id, slug, language, week, is_demo, None, error)
    if words is None:
        return OpenedAnswers(response_id, slug, language, week, is_demo, answers, words_locked=True, written=written)
    answers.update(words)
    return OpenedAnswers(response_id, slug, language, week, is_demo, answers, written=written)


# -- moving words into narratives, and to a new narrative key -------------------------------


def holds_words(row) -> bool:
    """Whether a row's keyring-sealed payload still holds words (any answer not chosen)."""
    return bool(split_words(all_surveys().get(row.survey_slug), _open_payload(row))[1])


def narrate(row: Response, public: NarrativeKey) -> bool:
    """Move a row's words from its keyring-sealed payload into a narrative sealed to
    ``public`` (merging any words a narrative already holds needs its key: a row that has
    one is left alone). True if the row changed."""
    if row.narrative is not None:
        return False
    kept, words = split_words(all_surveys().get(row.survey_slug), _open_payload(row))
    if not words:
        return False
    keyring = current_keyring()
    row.narrative = public.seal(encode_answers(words), narrative_place(row.id))
    row.narrative_key_id = public.key_id
    row.payload = keyring.seal(encode_answers(kept), payload_place(row.id))
    row.key_id = keyring.primary
    return True


def reseal_narrative(row: Response, opener: NarrativeOpener, public: NarrativeKey) -> None:
    """Open a row's narrative with ``opener`` and seal it again to ``public``."""
    place = narrative_place(row.id)
    try:
        plaintext = opener.open(bytes(row.narrative), place)
    except CryptoError as error:
        raise _unreadable(place, error) from error
    row.narrative = public.seal(plaintext, place)
    row.narrative_key_id = public.key_id
