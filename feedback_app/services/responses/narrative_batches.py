"""Moving words into narratives (``flask narratives migrate``) and re-sealing every narrative
to a new narrative key (``flask narratives rotate``), in batches.

Each batch is committed on its own, so an interrupted run loses nothing: run again, it
carries on (rows already done are recognised by what they hold, no bookkeeping). The rows'
sealing and opening is the store's (``store.narrate``, ``store.reseal_narrative``) and, for
glosses and quote drafts, ``sealed_text``. An approved quote stays sealed with the keyring:
it is meant for publication.

``words_left`` proves the migration: it opens every keyring-sealed payload, gloss and quote
draft and counts those that still hold words (it must be 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ...crypto import NarrativeKey, NarrativeOpener, is_narrative
from ...extensions import db
from ...models import CommentGloss, NarrativeKeyPair, Quote, Response
from . import store
from .sealed_text import reseal_words

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class WordsLeft:
    payloads: int
    glosses: int
    drafts: int

    @property
    def total(self) -> int:
        return self.payloads + self.glosses + self.drafts


def _keyring_texts(model, extra):
    """Glosses or quotes whose text the keyring seals (their key id is no narrative key's)."""
    statement = select(model).where(model.key_id.not_in(select(NarrativeKeyPair.id)))
    return statement.where(extra) if extra is not None else statement


def pending_migration() -> int:
    """Responses without a narrative: each is opened once by ``migrate`` (most hold words)."""
    return db.session.scalar(select(func.count()).select_from(Response).where(Response.narrative.is_(None))) or 0


def migrate(public: NarrativeKey, *, batch_size: int = 500, progress: Progress | None = None) -> int:
    """Move the words of every response, gloss and quote draft still sealed with the keyring
    into narratives sealed to ``public``. Returns how many values moved."""
    total = pending_migration()
    moved = done = 0
    last = None
    while True:  # responses: keyset by id, so rows with no words are not read twice
        statement = select(Response).where(Response.narrative.is_(None)).order_by(Response.id).limit(batch_size)
        if last is not None:
            statement = statement.where(Response.id > last)
        rows = db.session.scalars(statement).all()
        if not rows:
            break
        for row in rows:
            moved += store.narrate(row, public)
        last = rows[-1].id
        db.session.commit()
        done += len(rows)
        if progress:
            progress(done, total)
    for model, column, place, extra in _TEXTS:
        while rows := db.session.scalars(
            _keyring_texts(model, extra).order_by(*model.__mapper__.primary_key).limit(batch_size)
        ).all():
            for row in rows:
                setattr(row, column, reseal_words(getattr(row, column), place(row), None, public))
                row.key_id = public.key_id
                moved += 1
            db.session.commit()
    return moved


_TEXTS = (
    (CommentGloss, "gloss", lambda row: row.place, None),
    (Quote, "text", lambda row: row.place, Quote.status != "approved"),
)


def words_left(*, batch_size: int = 1000) -> WordsLeft:
    """How many keyring-sealed values still hold words (after ``migrate``: none)."""
    payloads = 0
    last = None
    while True:
        statement = (
            select(Response.id, Response.survey_slug, Response.payload).order_by(Response.id).limit(batch_size)
        )
        if last is not None:
            statement = statement.where(Response.id > last)
        rows = db.session.execute(statement).all()
        if not rows:
            break
        payloads += sum(1 for row in rows if store.holds_words(row))
        last = rows[-1].id
    glosses = sum(1 for (blob,) in db.session.execute(select(CommentGloss.gloss)) if not is_narrative(blob))
    drafts = sum(
        1 for (blob,) in db.session.execute(select(Quote.text).where(Quote.status != "approved")) if not is_narrative(blob)
    )
    return WordsLeft(payloads, glosses, drafts)


def pending_rotation(target: str) -> int:
    """Narratives not yet sealed to the key ``target``."""
    responses = db.session.scalar(
        select(func.count()).select_from(Response).where(Response.narrative.is_not(None), Response.narrative_key_id != target)
    )
    return (responses or 0) + sum(len(_narrative_texts(model, column, target, None)) for model, column, _p, _e in _TEXTS)


def _narrative_texts(model, column: str, target: str, limit: int | None):
    statement = select(model).where(model.key_id != target).order_by(*model.__mapper__.primary_key)
    rows = [row for row in db.session.scalars(statement).all() if is_narrative(getattr(row, column))]
    return rows[:limit] if limit else rows


def rotate(
    openers: dict[str, NarrativeOpener],
    public: NarrativeKey,
    *,
    batch_size: int = 500,
    progress: Progress | None = None,
    after_batch: Callable[[], None] | None = None,
) -> int:
    """Re-seal every narrative not sealed to ``public`` with the opener of its key. Returns
    how many were re-sealed. ``after_batch`` is called after each committed batch."""
    total = pending_rotation(public.key_id)
    done = 0
    while True:
        rows = db.session.scalars(
            select(Response)
            .where(Response.narrative.is_not(None), or_(Response.narrative_key_id != public.key_id, Response.narrative_key_id.is_(None)))
            .order_by(Response.id)
            .limit(batch_size)
        ).all()
        if not rows:
            break
        for row in rows:
            store.reseal_narrative(row, _opener(openers, row.narrative_key_id), public)
        db.session.commit()
        done += len(rows)
        if progress:
            progress(done, total)
        if after_batch:
            after_batch()
    for model, column, place, _extra in _TEXTS:
        while rows := _narrative_texts(model, column, public.key_id, batch_size):
            for row in rows:
                setattr(row, column, reseal_words(getattr(row, column), place(row), _opener(openers, row.key_id), public))
                row.key_id = public.key_id
            db.session.commit()
            done += len(rows)
            if progress:
                progress(done, total)
    return done


def _opener(openers: dict[str, NarrativeOpener], key_id: str | None) -> NarrativeOpener:
    opener = openers.get(key_id or "")
    if opener is None:
        raise store.Unreadable(f"narrative key {key_id}", "the private key for it was not given")
    return opener


def sealed_by_key() -> dict[str | None, int]:
    """How many responses' narratives each narrative key seals (None: responses without one)."""
    rows = db.session.execute(select(Response.narrative_key_id, func.count()).group_by(Response.narrative_key_id))
    return {key_id: count for key_id, count in rows}
