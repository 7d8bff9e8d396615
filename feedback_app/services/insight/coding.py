"""Coding comments with themes: what the coding queue shows for each comment, and the
changes a coordinator makes (assign, remove, accept or reject a suggestion).

Codings and rejections are staff interpretation and stored in the clear; they never hold
survivor words. A suggestion once rejected for a comment is not offered for it again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Account, CommentCoding, RejectedSuggestion, Theme
from . import comments
from .catalogue import Comment, Source, catalogue
from .comments import CommentError
from .theme_suggestions import suggest
from .themes import applicable_themes, rules_of

MANUAL = "manual"
SUGGESTION = "suggestion"


@dataclass(frozen=True)
class Coding:
    theme: Theme
    source: str  # MANUAL or SUGGESTION


@dataclass(frozen=True)
class SuggestedTheme:
    theme: Theme
    keyword: str
    language: str


@dataclass(frozen=True)
class CommentCard:
    """Everything the queue shows about one comment."""

    comment: Comment
    codings: tuple[Coding, ...]
    suggestions: tuple[SuggestedTheme, ...]
    unassigned: tuple[Theme, ...]  # applicable themes not yet assigned: the "add" list
    gloss: str | None
    gloss_unreadable: bool

    @property
    def is_coded(self) -> bool:
        return bool(self.codings)


def cards(comment_list: tuple[Comment, ...], source: Source) -> list[CommentCard]:
    """The cards of one page of comments of one scope and question."""
    if not comment_list:
        return []
    themes = applicable_themes(source.service, source.question.kinds)
    by_id = {theme.id: theme for theme in themes}
    rules = rules_of(themes)
    ids = [c.response_id for c in comment_list]
    field_of = {c.response_id: c.field for c in comment_list}
    codings: dict[uuid.UUID, list[CommentCoding]] = {}
    for coding in db.session.scalars(
        select(CommentCoding).where(CommentCoding.response_id.in_(ids)).order_by(CommentCoding.id)
    ):
        if field_of.get(coding.response_id) == coding.field:
            codings.setdefault(coding.response_id, []).append(coding)
    rejected: dict[uuid.UUID, set[int]] = {}
    for rejection in db.session.scalars(select(RejectedSuggestion).where(RejectedSuggestion.response_id.in_(ids))):
        if field_of.get(rejection.response_id) == rejection.field:
            rejected.setdefault(rejection.response_id, set()).add(rejection.theme_id)
    glosses = comments.glosses_for(ids, field_of)
    result = []
    for comment in comment_list:
        assigned = codings.get(comment.response_id, [])
        assigned_ids = {c.theme_id for c in assigned}
        skipped = assigned_ids | rejected.get(comment.response_id, set())
        suggestions = tuple(
            SuggestedTheme(by_id[s.theme_id], s.keyword, s.language)
            for s in suggest(comment.text, comment.language, (r for r in rules if r.theme_id not in skipped))
        )
        result.append(
            CommentCard(
                comment=comment,
                codings=tuple(Coding(_theme(c.theme_id, by_id), c.source) for c in assigned),
                suggestions=suggestions,
                unassigned=tuple(t for t in themes if t.id not in assigned_ids),
                gloss=glosses.get(comment.response_id),
                gloss_unreadable=comment.response_id in glosses and glosses[comment.response_id] is None,
            )
        )
    return result


def _theme(theme_id: int, known: dict[int, Theme]) -> Theme:
    """A coded theme, also if it has since been deactivated or changed scope."""
    return known.get(theme_id) or db.session.get(Theme, theme_id)


def find(response_id: uuid.UUID, field: str) -> tuple[Comment, Source]:
    """The comment and where it belongs; ``CommentError`` if there is no such comment,
    ``comments.CommentUnreadable`` if it does not open."""
    comment = comments.read_comment(response_id, field)
    source = catalogue().source_of(comment.survey_slug, field) if comment else None
    if comment is None or source is None:
        raise CommentError(_l("That comment could not be found. It may have been removed."))
    return comment, source


def card(response_id: uuid.UUID, field: str) -> CommentCard:
    comment, source = find(response_id, field)
    return cards((comment,), source)[0]


def _applicable_theme(source: Source, theme_id: int) -> Theme:
    theme = next((t for t in applicable_themes(source.service, source.question.kinds) if t.id == theme_id), None)
    if theme is None:
        raise CommentError(_l("That theme cannot be used for this comment. Choose one from the list."))
    return theme


def assign(response_id: uuid.UUID, field: str, theme_id: int, by: Account, source: str = MANUAL) -> Theme:
    """Code the comment with the theme (nothing changes if it already is)."""
    _comment, where = find(response_id, field)
    theme = _applicable_theme(where, theme_id)
    exists = db.session.scalar(
        select(CommentCoding.id).where(
            CommentCoding.response_id == response_id, CommentCoding.field == field, CommentCoding.theme_id == theme.id
        )
    )
    if exists is None:
        db.session.add(
            CommentCoding(response_id=response_id, field=field, theme_id=theme.id, source=source, coded_by=by.id)
        )
        try:
            db.session.commit()
        except IntegrityError:  # assigned a moment ago (a double click): that is fine
            db.session.rollback()
    return theme


def accept(response_id: uuid.UUID, field: str, theme_id: int, by: Account) -> Theme:
    return assign(response_id, field, theme_id, by, source=SUGGESTION)


def unassign(response_id: uuid.UUID, field: str, theme_id: int) -> Theme | None:
    """Take the theme off the comment (nothing happens if it was not on it)."""
    find(response_id, field)
    theme = db.session.get(Theme, theme_id)
    db.session.execute(
        delete(CommentCoding).where(
            CommentCoding.response_id == response_id, CommentCoding.field == field, CommentCoding.theme_id == theme_id
        )
    )
    db.session.commit()
    return theme


def reject(response_id: uuid.UUID, field: str, theme_id: int) -> Theme:
    """Remember that the theme's suggestion does not fit this comment."""
    find(response_id, field)
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise CommentError(_l("That theme cannot be used for this comment. Choose one from the list."))
    exists = db.session.scalar(
        select(RejectedSuggestion.id).where(
            RejectedSuggestion.response_id == response_id,
            RejectedSuggestion.field == field,
            RejectedSuggestion.theme_id == theme.id,
        )
    )
    if exists is None:
        db.session.add(RejectedSuggestion(response_id=response_id, field=field, theme_id=theme.id))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
    return theme
