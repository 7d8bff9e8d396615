"""Quotes: a coordinator proposes a comment, edits the suggested redactions, approves it.

A quote's wording is sealed at ``quote:<id>:text``: a draft (``proposed``) as a narrative, to
the narrative public key, like the words it quotes; once ``approved`` (meant for
publication) with the keyring, so reports render with no coordinator signed in; ``quote_text`` is the one place it is opened (``Unreadable``,
from ``responses.store``, if it does not open). Only an
approved quote may appear in a report; a withdrawn one never does. The survivor's original
comment is opened from the response only to show it on the quote's review page.

Every change is recorded in the audit log with the quote's id and status, never its text.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Account, Quote, Response
from ...models.account import utcnow
from ...surveys.registry import get_survey
from ...surveys.schema import MAX_TEXT_LENGTH
from ..responses.sealed_text import open_text, seal_text, seal_words
from ..responses.store import Unreadable, open_answers  # Unreadable: what quote_text raises
from ..staff import audit
from . import redaction
from .catalogue import Comment, catalogue

# Redacted wording may be a little longer than the comment: "[phone number]" for "999".
MAX_QUOTE_LENGTH = MAX_TEXT_LENGTH + 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

NO_COMMENT = _l("We could not find that comment. It may have been removed. Choose another comment to quote.")
NOT_WRITTEN = _l("Only written comments can be quoted, and this answer is not one.")
EMPTY_ANSWER = _l("That question was not answered in writing, so there is nothing to quote.")
DOES_NOT_OPEN = _l("This comment could not be opened, so it cannot be quoted. The problem has been noted.")
EMPTY_TEXT = _l("The quote is empty. Write the wording to use, or withdraw the quote.")
TOO_LONG = _l("The quote is too long. Keep it under %(limit)s characters.", limit=MAX_QUOTE_LENGTH)
ALREADY_WITHDRAWN = _l("This quote is already withdrawn.")


class QuoteError(ValueError):
    """A quote action that cannot be done; ``message`` says why, for the page."""

    def __init__(self, message) -> None:
        super().__init__(message)  # may be a lazy string: translated when shown
        self.message = message


class NeedsConfirmation(Exception):
    """Approval stopped: the wording may still identify someone. ``findings`` lists what was
    found; approving with ``token`` confirms that exactly these were seen and left."""

    def __init__(self, findings: list[redaction.Suggestion]) -> None:
        super().__init__("the quote may still identify someone")
        self.findings = findings
        self.token = findings_token(findings)


@dataclass(frozen=True)
class QuoteRow:
    """A quote as listed: its redacted wording (None if it does not open), never the original."""

    quote: Quote
    text: str | None
    language: str
    survey_title: str
    question: str
    service: str | None
    proposed_by: str | None
    approved_by: str | None


# -- the comment a quote comes from ---------------------------------------------------------


def _parse_id(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        return None


def _comment(response: Response, field: str) -> Comment:
    survey = get_survey(response.survey_slug)
    about = catalogue().field(response.survey_slug, field) if survey is not None else None
    if about is None:
        raise QuoteError(NOT_WRITTEN)
    try:
        answers = open_answers(response)
    except Unreadable as error:
        raise QuoteError(DOES_NOT_OPEN) from error
    text = answers.get(field)
    if not isinstance(text, str) or not text.strip():
        raise QuoteError(EMPTY_ANSWER)
    return Comment(
        response_id=response.id,
        field=field,
        survey_slug=survey.slug,
        survey_title=survey.title,
        language=response.language,
        submitted_week=response.submitted_week,
        is_demo=response.is_demo,
        question=about.question,
        service=about.service_label,
        text=text,
    )


def find_comment(response_id, field: str) -> Comment:
    """The free-text answer ``field`` of a response; ``QuoteError`` with a kind message if
    there is no such response, the field is not a written answer, or it is empty."""
    parsed = _parse_id(response_id)
    response = db.session.get(Response, parsed) if parsed is not None else None
    if response is None:
        raise QuoteError(NO_COMMENT)
    return _comment(response, (field or "").strip())


def comment_of(quote: Quote) -> Comment:
    """The original comment a quote was made from (opened to show on its review page)."""
    response = db.session.get(Response, quote.response_id)
    if response is None:
        raise QuoteError(NO_COMMENT)
    return _comment(response, quote.field)


# -- quotes ---------------------------------------------------------------------------------


def get_quote(quote_id) -> Quote | None:
    parsed = _parse_id(quote_id)
    return db.session.get(Quote, parsed) if parsed is not None else None


def quote_for(response_id: uuid.UUID, field: str) -> Quote | None:
    return db.session.scalar(select(Quote).where(Quote.response_id == response_id, Quote.field == field))


def quote_text(quote: Quote) -> str:
    """The quote's (redacted) wording; ``Unreadable`` if it does not open."""
    return open_text(quote.text, quote.place)


def _seal_into(quote: Quote, text: str, *, approved: bool = False) -> None:
    quote.key_id, quote.text = (seal_text if approved else seal_words)(text, quote.place)


def _target(quote: Quote) -> str:
    return f"quote {quote.id}"


def propose(response_id, field: str, by: Account) -> tuple[Quote, bool]:
    """Propose a comment as a quote, its wording the comment with every suggested redaction
    applied. Returns ``(quote, created)``: a comment already proposed gives its quote."""
    comment = find_comment(response_id, field)
    existing = quote_for(comment.response_id, comment.field)
    if existing is not None:
        return existing, False
    redacted, suggestions = redaction.redact(comment.text)
    quote = Quote(
        id=uuid.uuid4(), response_id=comment.response_id, field=comment.field, status="proposed", proposed_by=by.id
    )
    _seal_into(quote, redacted)
    db.session.add(quote)
    audit.record("quote_proposed", by, _target(quote), _detail(comment.field, suggestions, "suggested"), commit=False)
    try:
        db.session.commit()
    except IntegrityError:  # proposed at the same moment by someone else
        db.session.rollback()
        existing = quote_for(comment.response_id, comment.field)
        if existing is None:
            raise
        return existing, False
    return quote, True


def clean_text(text: str | None) -> str:
    """The wording as it will be stored; ``QuoteError`` if it is empty or too long."""
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        raise QuoteError(EMPTY_TEXT)
    if len(text) > MAX_QUOTE_LENGTH:
        raise QuoteError(TOO_LONG)
    return text


def findings_token(findings: Iterable[redaction.Suggestion]) -> str:
    """A short fingerprint of what was found, so a confirmation covers exactly that."""
    digest = hashlib.sha256()
    for finding in findings:
        digest.update(f"{finding.kind}\x1f{finding.text}\x1e".encode())
    return digest.hexdigest()[:32]


def save_draft(quote: Quote, text: str, by: Account) -> None:
    """Store new wording as a draft. An approved or withdrawn quote becomes a proposal again
    (changed wording has to be approved afresh)."""
    text = clean_text(text)
    _seal_into(quote, text)
    was = quote.status
    quote.status = "proposed"
    quote.approved_by = None
    quote.approved_at = None
    audit.record("quote_draft_saved", by, _target(quote), f"was {was}", commit=False)
    db.session.commit()


def approve(quote: Quote, text: str, by: Account, confirmed_token: str | None = None) -> list[redaction.Suggestion]:
    """Approve ``text`` as the quote's final wording.

    The suggester runs on the wording again; if it still finds something, nothing is saved
    and ``NeedsConfirmation`` is raised, unless ``confirmed_token`` is the token of exactly
    those findings (the coordinator saw them and chose to keep them). Returns the findings
    that were knowingly kept.
    """
    text = clean_text(text)
    findings = redaction.suggest(text)
    if findings and confirmed_token != findings_token(findings):
        raise NeedsConfirmation(findings)
    _seal_into(quote, text, approved=True)
    quote.status = "approved"
    quote.approved_by = by.id
    quote.approved_at = utcnow()
    detail = _detail(quote.field, findings, "kept after a warning") if findings else quote.field
    audit.record("quote_approved", by, _target(quote), detail, commit=False)
    db.session.commit()
    return findings


def withdraw(quote: Quote, by: Account) -> None:
    """Withdraw a proposed or approved quote: it will never appear in a report."""
    if quote.status == "withdrawn":
        raise QuoteError(ALREADY_WITHDRAWN)
    was = quote.status
    if was == "approved":  # no longer meant for publication: sealed as words again
        _seal_into(quote, quote_text(quote))
    quote.status = "withdrawn"
    quote.approved_by = None
    quote.approved_at = None
    audit.record("quote_withdrawn", by, _target(quote), f"was {was}", commit=False)
    db.session.commit()


def _detail(field: str, findings: list[redaction.Suggestion], what: str) -> str:
    """E.g. "better.police; 2 suggested: name, phone" – kinds only, never the text found."""
    if not findings:
        return field
    kinds = sorted({f.kind for f in findings}, key=redaction.KINDS.index)
    return f"{field}; {len(findings)} {what}: {', '.join(kinds)}"


# -- the list -------------------------------------------------------------------------------


def list_quotes(status: str | None = None) -> list[QuoteRow]:
    """Quotes newest first (optionally of one status), with their redacted wording."""
    # An outer join: a quote whose response has gone is still listed (SQLite does not cascade).
    query = select(Quote, Response.survey_slug, Response.language).outerjoin(Response, Response.id == Quote.response_id)
    if status:
        query = query.where(Quote.status == status)
    query = query.order_by(Quote.proposed_at.desc(), Quote.id)
    rows = db.session.execute(query).all()
    people = _names({q.proposed_by for q, *_ in rows} | {q.approved_by for q, *_ in rows})
    listed = []
    for quote, slug, language in rows:
        survey = get_survey(slug) if slug else None
        about = catalogue().field(slug, quote.field) if survey is not None else None
        question, service = (about.question, about.service_label) if about else (quote.field, None)
        try:
            text = quote_text(quote)
        except Unreadable:
            text = None
        listed.append(
            QuoteRow(
                quote=quote,
                text=text,
                language=language or "",
                survey_title=survey.title if survey is not None else (slug or ""),
                question=question,
                service=service,
                proposed_by=people.get(quote.proposed_by),
                approved_by=people.get(quote.approved_by),
            )
        )
    return listed


def person(account_id: uuid.UUID | None) -> str | None:
    return _names({account_id}).get(account_id)


def _names(ids: set) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(Account.id, Account.display_name).where(Account.id.in_(ids))).all())
