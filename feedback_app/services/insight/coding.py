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


def cards(comment_list: tuple[Comment, ...], source: Source | None = None) -> list[CommentCard]:
    """The cards of one page of comments. Which themes fit each comment is worked out from
    the comment's own scope and question, so a page may mix them (``source`` is not needed
    and kept for callers that have one)."""
    if not comment_list:
        return []
    keys = [(c.response_id, c.field) for c in comment_list]
    ids = list(dict.fromkeys(response_id for response_id, _field in keys))
    wanted = set(keys)
    codings: dict[tuple, list[CommentCoding]] = {}
    for coding in db.session.scalars(
        select(CommentCoding).where(CommentCoding.response_id.in_(ids)).order_by(CommentCoding.id)
    ):
        if (coding.response_id, coding.field) in wanted:
            codings.setdefault((coding.response_id, coding.field), []).append(coding)
    rejected: dict[tuple, set[int]] = {}
    for rejection in db.session.scalars(select(RejectedSuggestion).where(RejectedSuggestion.response_id.in_(ids))):
        if (rejection.response_id, rejection.field) in wanted:
            rejected.setdefault((rejection.response_id, rejection.field), set()).add(rejection.theme_id)
    glosses = comments.glosses_for(keys)
    fitting = _FittingThemes()
    result = []
    for comment, key in zip(comment_list, keys):
        themes, by_id, rules = fitting.of(comment)
        assigned = codings.get(key, [])
        assigned_ids = {c.theme_id for c in assigned}
        skipped = assigned_ids | rejected.get(key, set())
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
                gloss=glosses.get(key),
                gloss_unreadable=key in glosses and glosses[key] is None,
            )
        )
    return result


class _FittingThemes:
    """The active themes (and their rules) that fit a comment, worked out once per scope
    and question of a page."""

    def __init__(self) -> None:
        self._found: dict[tuple, tuple[list[Theme], dict[int, Theme], list]] = {}

    def of(self, comment: Comment):
        source = catalogue().source_of(comment.survey_slug, comment.field)
        place = (source.service, source.question.kinds) if source else (None, ())
        if place not in self._found:
            themes = applicable_themes(*place) if source else []
            self._found[place] = (themes, {t.id: t for t in themes}, rules_of(themes))
        return self._found[place]


def themes_for(source: Source, *, active_only: bool = True) -> list[Theme]:
    """The themes that fit at least one comment of ``source`` (its scopes and questions),
    by name; with ``active_only=False`` deactivated ones too (for finding what was coded)."""
    places = {(s.service, s.question.kinds) for s in _sources_in(source)}
    found: dict[int, Theme] = {}
    for service, kinds in places:
        for theme in applicable_themes(service, kinds, active_only=active_only):
            found[theme.id] = theme
    return sorted(found.values(), key=lambda t: (t.name.casefold(), t.id))


def _sources_in(source: Source) -> list[Source]:
    if not source.mixed:
        return [source]
    found = {}
    for slug, field in source.fields:
        own = catalogue().source_of(slug, field)
        if own is not None:
            found[(own.scope, own.question.id)] = own
    return list(found.values())


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


# -- applying one theme to many comments -----------------------------------------------------

BULK_MAX = 100


@dataclass(frozen=True)
class BulkResult:
    """What applying one theme to the selected comments did."""

    theme: Theme
    added: int  # comments that now have the theme
    already: int  # comments that had it already
    other_service: int  # left out: the theme is about another service
    other_kind: int  # left out: the theme is about what helped, the comment about what could improve (or back)
    missing: int  # left out: not found any more, or could not be opened

    @property
    def skipped(self) -> int:
        return self.other_service + self.other_kind


def assign_many(keys: list[tuple[uuid.UUID, str]], theme_id: int | None, by: Account) -> BulkResult:
    """Code every selected comment that the theme fits with it, in one transaction. Comments
    it does not fit (another service, another kind of question) are left as they are and
    counted; so are comments that are not there or do not open. ``CommentError`` if no
    comment is selected, too many are, or the theme is not one to use."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise CommentError(_l("Select at least one comment, then choose the theme to add to them."))
    if len(keys) > BULK_MAX:
        raise CommentError(_l("Select %(n)d comments or fewer at a time.", n=BULK_MAX))
    theme = db.session.get(Theme, theme_id) if theme_id is not None else None
    if theme is None or not theme.is_active:
        raise CommentError(_l("Choose a theme from the list."))
    for attempt in (1, 2):
        counts = {"added": 0, "already": 0, "other_service": 0, "other_kind": 0, "missing": 0}
        ids = list({response_id for response_id, _field in keys})
        coded = {
            (response_id, field)
            for response_id, field in db.session.execute(
                select(CommentCoding.response_id, CommentCoding.field).where(
                    CommentCoding.response_id.in_(ids), CommentCoding.theme_id == theme.id
                )
            )
        }
        for response_id, field in keys:
            try:
                _comment, where = find(response_id, field)
            except (CommentError, comments.CommentUnreadable):
                counts["missing"] += 1
                continue
            if theme.service is not None and theme.service != where.service:
                counts["other_service"] += 1
            elif theme.kind not in where.question.kinds:
                counts["other_kind"] += 1
            elif (response_id, field) in coded:
                counts["already"] += 1
            else:
                db.session.add(
                    CommentCoding(response_id=response_id, field=field, theme_id=theme.id, source=MANUAL, coded_by=by.id)
                )
                counts["added"] += 1
        try:
            db.session.commit()
        except IntegrityError:  # some were coded a moment ago (a double click): count again
            db.session.rollback()
            if attempt == 2:
                raise
            continue
        break
    return BulkResult(theme, **counts)
