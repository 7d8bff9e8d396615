"""Reading comments: finding the comments of one scope and question in a period (a
``catalogue.Source``), reading one, and the coordinators' English glosses.

Which answers are comments, and what each is about, is the comment catalogue's
(``catalogue``). Comments are decrypted only to be shown (one page at a time) or to find out
which responses have one; the text is never logged and never kept beyond the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, or_, select

from ...extensions import db
from ...models import CommentCoding, CommentGloss, Response, gloss_place
from ...surveys.registry import get_survey
from ..figures import periods
from ..responses.sealed_text import open_text, seal_text
from ..responses.store import Unreadable, open_answers
from .catalogue import Comment, Source, catalogue

STREAM_BATCH = 1000
PER_PAGE = 20
GLOSS_MAX_LENGTH = 2000


class CommentError(ValueError):
    """Something asked of a comment that cannot be done; ``message`` says why (lazy)."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


class CommentUnreadable(Exception):
    """The response holding the comment does not open (keys or data damaged)."""


@dataclass(frozen=True)
class CommentList:
    comments: tuple[Comment, ...]
    total: int  # comments in scope (whether coded or not)
    coded: int  # of those, how many have at least one theme
    listed: int  # comments the list pages through (total, or only the uncoded ones)
    unreadable: int  # responses in scope that did not open
    page: int
    pages: int
    per_page: int = PER_PAGE

    @property
    def first(self) -> int:
        """The position of the page's first comment in the list (1-based)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.comments) - 1


# -- listing -------------------------------------------------------------------------------

_COLUMNS = (
    Response.id,
    Response.survey_slug,
    Response.language,
    Response.submitted_week,
    Response.is_demo,
    Response.payload,
)


def _in_period(statement, period: periods.Period):
    if period.start is not None:
        statement = statement.where(Response.submitted_week >= period.start)
    if period.end is not None:
        statement = statement.where(Response.submitted_week <= period.end)
    return statement


def _answers(row) -> dict:
    """The answers of a row; ``CommentUnreadable`` if they do not open."""
    try:
        return open_answers(row)
    except Unreadable as error:
        raise CommentUnreadable() from error


def _text(answers: dict, field: str | None) -> str | None:
    value = answers.get(field) if field else None
    return value if isinstance(value, str) and value.strip() else None


def _stream(source: Source, period: periods.Period) -> Iterator:
    statement = _in_period(select(*_COLUMNS).where(Response.survey_slug.in_(source.slugs)), period)
    statement = statement.order_by(Response.submitted_week, Response.id)
    yield from db.session.execute(statement.execution_options(yield_per=STREAM_BATCH))


def _field_pairs(source: Source):
    return or_(*(and_(Response.survey_slug == slug, CommentCoding.field == field) for slug, field in source.fields))


def coded_ids(source: Source, period: periods.Period) -> set[uuid.UUID]:
    """Responses in scope whose comment has at least one theme."""
    if not source.fields:
        return set()
    statement = _in_period(
        select(CommentCoding.response_id).join(Response, Response.id == CommentCoding.response_id).where(
            _field_pairs(source)
        ),
        period,
    )
    return set(db.session.scalars(statement.distinct()))


def coded_count(source: Source, period: periods.Period) -> int:
    if not source.fields:
        return 0
    statement = _in_period(
        select(func.count(func.distinct(CommentCoding.response_id)))
        .join(Response, Response.id == CommentCoding.response_id)
        .where(_field_pairs(source)),
        period,
    )
    return db.session.scalar(statement) or 0


def list_comments(
    source: Source,
    period: periods.Period,
    *,
    only_uncoded: bool = False,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> CommentList:
    """One page of the comments in scope, oldest first.

    Every response in scope is opened once to see whether it has a comment (only its id is
    kept); then just the page's responses are opened again for their text."""
    coded = coded_ids(source, period)
    fields = dict(source.fields)
    found: list[uuid.UUID] = []
    unreadable = total = coded_found = 0
    if source.fields:
        for row in _stream(source, period):
            try:
                answers = _answers(row)
            except CommentUnreadable:
                unreadable += 1
                continue
            if _text(answers, fields.get(row.survey_slug)) is None:
                continue
            total += 1
            is_coded = row.id in coded
            coded_found += is_coded
            if not (only_uncoded and is_coded):
                found.append(row.id)
    pages = max(1, -(-len(found) // per_page))
    page = min(max(page, 1), pages)
    wanted = found[(page - 1) * per_page : page * per_page]
    return CommentList(
        comments=tuple(_read_many(wanted, fields)),
        total=total,
        coded=coded_found,
        listed=len(found),
        unreadable=unreadable,
        page=page,
        pages=pages,
        per_page=per_page,
    )


def _read_many(ids: list[uuid.UUID], fields: dict[str, str]) -> Iterator[Comment]:
    if not ids:
        return
    rows = {row.id: row for row in db.session.execute(select(*_COLUMNS).where(Response.id.in_(ids)))}
    for response_id in ids:
        row = rows.get(response_id)
        if row is None:
            continue
        try:
            text = _text(_answers(row), fields.get(row.survey_slug))
        except CommentUnreadable:
            continue
        if text is not None:
            yield _comment(row, fields[row.survey_slug], text)


def _comment(row, field: str, text: str) -> Comment:
    about = catalogue().field(row.survey_slug, field)
    survey = get_survey(row.survey_slug)
    return Comment(
        response_id=row.id,
        field=field,
        survey_slug=row.survey_slug,
        survey_title=survey.title if survey is not None else row.survey_slug,
        language=row.language,
        submitted_week=row.submitted_week,
        is_demo=row.is_demo,
        question=about.question if about else field,
        service=about.service_label if about else None,
        text=text,
    )


def read_comment(response_id: uuid.UUID, field: str) -> Comment | None:
    """One comment, or None if there is no such text answer; ``CommentUnreadable`` if its
    response does not open."""
    row = db.session.execute(select(*_COLUMNS).where(Response.id == response_id)).one_or_none()
    if row is None or catalogue().field(row.survey_slug, field) is None:
        return None
    text = _text(_answers(row), field)
    return _comment(row, field, text) if text is not None else None


# -- glosses -------------------------------------------------------------------------------


def glosses_for(response_ids: Iterable[uuid.UUID], field_of: dict[uuid.UUID, str]) -> dict[uuid.UUID, str | None]:
    """The English glosses of these comments (``field_of``: response id -> answer name).
    A gloss that does not open maps to None; comments without a gloss are left out."""
    ids = list(response_ids)
    if not ids:
        return {}
    found = {}
    for gloss in db.session.scalars(select(CommentGloss).where(CommentGloss.response_id.in_(ids))):
        if field_of.get(gloss.response_id) != gloss.field:
            continue
        try:
            found[gloss.response_id] = open_text(gloss.gloss, gloss.place)
        except Unreadable:
            found[gloss.response_id] = None
    return found


def save_gloss(response_id: uuid.UUID, field: str, text: str) -> bool:
    """Seal and store (or replace) the gloss of a comment; an empty text removes it.
    Returns True if a gloss is stored afterwards."""
    text = (text or "").strip()
    if len(text) > GLOSS_MAX_LENGTH:
        raise CommentError(_l("Keep the gloss to %(n)d characters or fewer.", n=GLOSS_MAX_LENGTH))
    existing = db.session.scalar(
        select(CommentGloss).where(CommentGloss.response_id == response_id, CommentGloss.field == field)
    )
    if not text:
        if existing is not None:
            db.session.execute(delete(CommentGloss).where(CommentGloss.id == existing.id))
            db.session.commit()
        return False
    key_id, blob = seal_text(text, gloss_place(response_id, field))
    if existing is None:
        db.session.add(CommentGloss(response_id=response_id, field=field, key_id=key_id, gloss=blob))
    else:
        existing.key_id, existing.gloss = key_id, blob
    db.session.commit()
    return True
