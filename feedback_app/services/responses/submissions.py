"""Storing a survey response (sealed first, by ``store``) and reading one back."""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from ...extensions import db
from ...models import COLLECTION_MODES, Response
from ..staff.rate_limits import submission_wait
from . import store

logger = logging.getLogger("feedback_app.submissions")


@dataclass(frozen=True)
class StoredResponse:
    id: uuid.UUID
    survey_slug: str
    survey_version: int
    language: str
    collection_mode: str
    organisation: str | None
    submitted_week: date
    answers: dict


def week_of(day: date) -> date:
    """The Monday of the week ``day`` falls in."""
    return day - timedelta(days=day.weekday())


def response_id_for(submission_token: str) -> uuid.UUID:
    """A stable, unguessable id for a submission, so that a double submit stores once.

    The page carries a random token; the id is an HMAC of it, so the id stored in the
    database never appears in any page.
    """
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    digest = hmac.new(secret, b"submission:" + submission_token.encode("utf-8"), hashlib.sha256).digest()
    return uuid.UUID(bytes=digest[:16], version=4)


def build_response(
    *,
    survey_slug: str,
    survey_version: int,
    language: str,
    collection_mode: str,
    answers: dict,
    organisation: str | None = None,
    submitted_on: date | None = None,
    response_id: uuid.UUID | None = None,
    is_demo: bool = False,
) -> Response:
    """A new ``Response`` row with its answers sealed; nothing is added to the session."""
    if collection_mode not in COLLECTION_MODES:
        raise ValueError(f"unknown collection mode {collection_mode!r}")
    if not isinstance(answers, dict):
        raise ValueError("answers must be a mapping of answer names to answers")
    if collection_mode == "online" and organisation:
        raise ValueError("online responses carry no organisation")
    response = Response(
        id=response_id or uuid.uuid4(),
        survey_slug=survey_slug,
        survey_version=survey_version,
        language=language,
        collection_mode=collection_mode,
        organisation=organisation,
        submitted_week=week_of(submitted_on or date.today()),
        is_demo=is_demo,
    )
    store.seal_into(response, answers)
    return response


def store_response(*, submission_token: str | None = None, **fields) -> tuple[uuid.UUID, bool]:
    """Seal and store one response. Returns ``(id, created)``.

    With a ``submission_token``, a second submit of the same page stores nothing and
    returns ``created=False``.
    """
    response_id = response_id_for(submission_token) if submission_token else None
    response = build_response(response_id=response_id, **fields)
    new_id = response.id  # read before the commit: afterwards it would cost a SELECT
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError:
        # The same page was sent twice: the first one is already stored.
        db.session.rollback()
        if response_id is not None and db.session.get(Response, response_id) is not None:
            return response_id, False
        raise
    return new_id, True


def open_response(response: Response) -> StoredResponse:
    """One row with its answers opened; ``store.Unreadable`` if they do not open."""
    return StoredResponse(
        id=response.id,
        survey_slug=response.survey_slug,
        survey_version=response.survey_version,
        language=response.language,
        collection_mode=response.collection_mode,
        organisation=response.organisation,
        submitted_week=response.submitted_week,
        answers=store.open_answers(response),
    )


def read_response(response_id: uuid.UUID) -> StoredResponse | None:
    response = db.session.get(Response, response_id)
    return open_response(response) if response is not None else None


# What ``submit_answers`` did.
STORED = "stored"
ALREADY_STORED = "already_stored"
IGNORED = "ignored"  # the honeypot was filled in: thanked, never stored
RATE_LIMITED = "rate_limited"
NOT_SENT = "not_sent"  # the database could not be reached or would not commit: nothing stored


@dataclass(frozen=True)
class Outcome:
    kind: str  # one of the outcomes above
    retry_after: int = 0  # RATE_LIMITED: seconds until one more may be sent


def submit_answers(
    *,
    survey_slug: str,
    survey_version: int,
    answers: dict,
    submission_token: str,
    language: str,
    bot: bool = False,
    collection_mode: str = "online",
    organisation: str | None = None,
    evaluation: str | None = None,
) -> Outcome:
    """Store a finished survey once. ``evaluation``: the signed ticket of a worker's 1:1
    evaluation (its submissions are limited per ticket, not per address).

    A second press of "Send" for the same page is recognised before it is counted against
    any limit. If the database is unreachable or the commit fails, nothing is stored and
    the outcome is ``NOT_SENT``: the page still holds the answers, and pressing "Send" again
    stores them once."""
    if bot:
        return Outcome(IGNORED)
    try:
        if db.session.get(Response, response_id_for(submission_token)) is not None:
            return Outcome(ALREADY_STORED)
        wait = submission_wait(evaluation)
        if wait:
            return Outcome(RATE_LIMITED, wait)
        _id, created = store_response(
            survey_slug=survey_slug,
            survey_version=survey_version,
            language=language,
            collection_mode=collection_mode,
            organisation=organisation,
            answers=answers,
            submission_token=submission_token,
        )
    except (OperationalError, InterfaceError) as error:  # the database is down, or went away
        db.session.rollback()
        logger.error("a survey could not be stored: %s; the page keeps its answers", type(error).__name__)
        return Outcome(NOT_SENT)
    return Outcome(STORED if created else ALREADY_STORED)
