"""Reading comments: finding the comments of one scope and question in a period (a
``catalogue.Source``), reading one, and the coordinators' English glosses.

Which answers are comments, and what each is about, is the comment catalogue's
(``catalogue``). Comments are decrypted only to be shown (one page at a time), to find out
which responses have one, or to match them against a search (``comment_search``), always
by the sealed-response store; the text is never logged and never kept beyond the request.
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
from ..responses.sealed_text import open_text, seal_words
from ..responses.store import ANSWER_COLUMNS, OpenedAnswers, Unreadable, open_answers, read_answers
from .catalogue import Comment, Source, catalogue
from .comment_search import TextSearch

STREAM_BATCH = 1000
PER_PAGE = 20
# A search opens at most this many responses, and keeps at most this many matching comments;
# the queue says when it stopped at either (choose a shorter period, or more words).
SEARCH_OPEN_LIMIT = 20_000
SEARCH_MATCH_LIMIT = 500
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
    total: int  # comments in scope (whether coded or not), as far as the pass went
    coded: int  # of those, how many have at least one theme
    listed: int  # comments the list pages through (those the filters and search leave in)
    unreadable: int  # responses in scope that did not open
    page: int
    pages: int
    per_page: int = PER_PAGE
    searched: bool = False  # a search was run
    opened: int = 0  # responses opened by the pass
    open_limit_reached: bool = False  # the pass stopped at the cap on responses opened
    match_limit_reached: bool = False  # the pass stopped at the cap on matches kept

    @property
    def complete(self) -> bool:
        """Whether every response in scope was opened: ``total`` and ``coded`` are then the
        scope's, not just those of the part searched."""
        return not (self.open_limit_reached or self.match_limit_reached)

    @property
    def first(self) -> int:
        """The position of the page's first comment in the list (1-based)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.comments) - 1


# -- listing -------------------------------------------------------------------------------

CommentKey = tuple[uuid.UUID, str]  # (response id, answer name): one comment


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


def _field_pairs(source: Source):
    return or_(*(and_(Response.survey_slug == slug, CommentCoding.field == field) for slug, field in source.fields))


def _codings_in(source: Source, period: periods.Period, columns, theme_id: int | None = None):
    statement = select(*columns).join(Response, Response.id == CommentCoding.response_id).where(_field_pairs(source))
    if theme_id is not None:
        statement = statement.where(CommentCoding.theme_id == theme_id)
    return _in_period(statement, period)


def coded_keys(source: Source, period: periods.Period, theme_id: int | None = None) -> set[CommentKey]:
    """Comments in scope with at least one theme (with ``theme_id``: with that theme)."""
    if not source.fields:
        return set()
    statement = _codings_in(source, period, (CommentCoding.response_id, CommentCoding.field), theme_id)
    return {(response_id, field) for response_id, field in db.session.execute(statement.distinct())}


def coded_ids(source: Source, period: periods.Period) -> set[uuid.UUID]:
    """Responses in scope whose comment has at least one theme."""
    return {response_id for response_id, _field in coded_keys(source, period)}


def coded_count(source: Source, period: periods.Period) -> int:
    """How many comments in scope have at least one theme."""
    if not source.fields:
        return 0
    pairs = _codings_in(source, period, (CommentCoding.response_id, CommentCoding.field)).distinct().subquery()
    return db.session.scalar(select(func.count()).select_from(pairs)) or 0


def list_comments(
    source: Source,
    period: periods.Period,
    *,
    only_uncoded: bool = False,
    theme_id: int | None = None,
    search: TextSearch | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    open_limit: int | None = None,
    match_limit: int | None = None,
) -> CommentList:
    """One page of the comments in scope, oldest first: only those without a theme
    (``only_uncoded``), only those coded with ``theme_id``, and only those holding every word
    of ``search``.

    The sealed-response store opens every response in scope once, a batch at a time, to see
    which comments there are (only their ids are kept, with the text matched against the
    search on the way; without a search, which answers were written is enough and no
    narrative is opened); then just the page's responses are opened again for their text. A
    search is bounded: it opens at most ``open_limit`` responses and keeps at most
    ``match_limit`` matches, and the list says when it stopped at either."""
    open_limit = SEARCH_OPEN_LIMIT if open_limit is None else open_limit
    match_limit = SEARCH_MATCH_LIMIT if match_limit is None else match_limit
    coded = coded_keys(source, period)
    themed = coded_keys(source, period, theme_id) if theme_id is not None else None
    fields = source.fields_by_survey()
    found: list[CommentKey] = []
    counts = {"unreadable": 0, "total": 0, "coded": 0, "opened": 0}
    too_many = False

    def into(batch: list[OpenedAnswers]) -> bool:
        nonlocal too_many
        counts["opened"] += len(batch)
        for opened in batch:
            if opened.answers is None:
                counts["unreadable"] += 1
                continue
            for field in fields.get(opened.survey_slug, ()):
                text = _text(opened.answers, field)
                if text is None and field not in opened.written:
                    continue
                key = (opened.id, field)
                counts["total"] += 1
                is_coded = key in coded
                counts["coded"] += is_coded
                if only_uncoded and is_coded or themed is not None and key not in themed:
                    continue
                if search is not None and (text is None or not search.matches(text)):
                    continue
                if search is not None and len(found) >= match_limit:
                    too_many = True
                    return True
                found.append(key)
        return False

    cut_short = False
    if fields:
        cut_short = read_answers(
            lambda statement: _in_period(statement.where(Response.survey_slug.in_(sorted(fields))), period).order_by(
                Response.submitted_week, Response.id
            ),
            into,
            limit=open_limit if search is not None else None,
            batch_size=STREAM_BATCH,
            words=search is not None,  # only a search needs the words; listing needs which were written
        )
    pages = max(1, -(-len(found) // per_page))
    page = min(max(page, 1), pages)
    wanted = found[(page - 1) * per_page : page * per_page]
    return CommentList(
        comments=tuple(_read_many(wanted)),
        total=counts["total"],
        coded=counts["coded"],
        listed=len(found),
        unreadable=counts["unreadable"],
        page=page,
        pages=pages,
        per_page=per_page,
        searched=search is not None,
        opened=counts["opened"],
        open_limit_reached=cut_short,
        match_limit_reached=too_many,
    )


def _read_many(keys: list[CommentKey]) -> Iterator[Comment]:
    if not keys:
        return
    ids = list(dict.fromkeys(response_id for response_id, _field in keys))
    rows = {row.id: row for row in db.session.execute(select(*ANSWER_COLUMNS).where(Response.id.in_(ids)))}
    answers: dict[uuid.UUID, dict | None] = {}
    for response_id, field in keys:
        row = rows.get(response_id)
        if row is None or catalogue().field(row.survey_slug, field) is None:
            continue
        if response_id not in answers:
            try:
                answers[response_id] = _answers(row)
            except CommentUnreadable:
                answers[response_id] = None
        text = _text(answers[response_id], field) if answers[response_id] is not None else None
        if text is not None:
            yield _comment(row, field, text)


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
    row = db.session.execute(select(*ANSWER_COLUMNS).where(Response.id == response_id)).one_or_none()
    if row is None or catalogue().field(row.survey_slug, field) is None:
        return None
    text = _text(_answers(row), field)
    return _comment(row, field, text) if text is not None else None


# -- glosses -------------------------------------------------------------------------------


def glosses_for(keys: Iterable[CommentKey]) -> dict[CommentKey, str | None]:
    """The English glosses of these comments. A gloss that does not open maps to None;
    comments without a gloss are left out."""
    wanted = set(keys)
    if not wanted:
        return {}
    ids = {response_id for response_id, _field in wanted}
    found = {}
    for gloss in db.session.scalars(select(CommentGloss).where(CommentGloss.response_id.in_(ids))):
        key = (gloss.response_id, gloss.field)
        if key not in wanted:
            continue
        try:
            found[key] = open_text(gloss.gloss, gloss.place)
        except Unreadable:
            found[key] = None
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
    key_id, blob = seal_words(text, gloss_place(response_id, field))
    if existing is None:
        db.session.add(CommentGloss(response_id=response_id, field=field, key_id=key_id, gloss=blob))
    else:
        existing.key_id, existing.gloss = key_id, blob
    db.session.commit()
    return True
