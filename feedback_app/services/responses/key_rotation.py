"""Key rotation: a new primary key, then every sealed value re-sealed in batches.

Each batch is committed on its own, so an interrupted rotation loses nothing and
simply continues where it stopped when run again (``flask keys rotate --resume``).

Glosses and quote drafts sealed as narratives (to the narrative public key, their ``key_id``
a narrative key's) are not the keyring's: they are left out here (``flask narratives rotate``
re-seals them), and so are responses' ``narrative`` columns.

A value is re-sealed at its column's current place; one still bound to an older place (a
response payload sealed with the dashed id, ``store.legacy_payload_place``) is opened there
and moves to the current place. A value that does not open stops the rotation with
``store.Unreadable``; a key that cannot be retired is a ``ValueError``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...crypto import CryptoError, Keyring, KeyringError, is_narrative
from ...extensions import db
from ...models import Account, CommentGloss, NarrativeKeyPair, Quote, Response, gloss_place, quote_place
from ...models.account import totp_place
from . import store
from .keyring import current_keyring, open_at, replace_keyring


def _no_older_place(row: object) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class SealedColumn:
    """A column of ciphertext, the column naming its key, and its associated data: where
    its values are bound now (``place``) and where older versions bound them (tried after)."""

    model: type
    column: str
    key_column: str
    place: Callable[[object], str]
    older_places: Callable[[object], tuple[str, ...]] = _no_older_place
    # A column that may also hold narratives: their key ids are narrative keys', not the keyring's.
    may_hold_narratives: bool = False

    def keyring_sealed(self):
        """A condition selecting the rows whose value the keyring seals."""
        key_col = getattr(self.model, self.key_column)
        condition = key_col.is_not(None)
        if self.may_hold_narratives:
            condition = condition & key_col.not_in(select(NarrativeKeyPair.id))
        return condition


SEALED_COLUMNS: list[SealedColumn] = [
    SealedColumn(
        Response,
        "payload",
        "key_id",
        lambda row: store.payload_place(row.id),
        lambda row: (store.legacy_payload_place(row.id),),
    ),
    # NULL for responses stored before facts existed.
    SealedColumn(Response, "facts", "facts_key_id", lambda row: store.facts_place(row.id)),
    # NULL until the account enrols in two-factor authentication.
    SealedColumn(Account, "totp_secret", "totp_key_id", lambda row: totp_place(row.id)),
    SealedColumn(CommentGloss, "gloss", "key_id", lambda row: gloss_place(row.response_id, row.field), may_hold_narratives=True),
    SealedColumn(Quote, "text", "key_id", lambda row: quote_place(row.id), may_hold_narratives=True),
]

Progress = Callable[[int, int], None]


def key_usage() -> dict[str, int]:
    """How many sealed values use each key id (keys in the keyring that seal nothing show 0)."""
    usage: Counter[str] = Counter({key_id: 0 for key_id in current_keyring().keys})
    for sealed in SEALED_COLUMNS:
        key_col = getattr(sealed.model, sealed.key_column)
        counts = select(key_col, func.count()).where(sealed.keyring_sealed()).group_by(key_col)
        for key_id, count in db.session.execute(counts):
            usage[key_id] += count
    return dict(usage)


def pending_count() -> int:
    primary = current_keyring().primary
    return sum(n for key_id, n in key_usage().items() if key_id != primary)


def add_primary_key(keyring_file: str | Path) -> Keyring:
    """Write a keyring with a fresh primary key to ``keyring_file`` and start using it."""
    keyring = current_keyring().with_new_primary()
    keyring.write_file(keyring_file)
    replace_keyring(keyring)
    return keyring


def _batches(sealed: SealedColumn, primary: str, batch_size: int) -> Iterator[list]:
    key_col = getattr(sealed.model, sealed.key_column)
    pk = sealed.model.__mapper__.primary_key[0]
    while True:
        rows = db.session.scalars(
            select(sealed.model)
            .where(sealed.keyring_sealed(), key_col != primary)
            .order_by(pk)
            .limit(batch_size)
        ).all()
        if not rows:
            return
        yield rows


def reseal_all(batch_size: int = 500, progress: Progress | None = None) -> int:
    """Re-seal every value not under the primary key. Returns how many were re-sealed."""
    keyring = current_keyring()
    total = pending_count()
    done = 0
    for sealed in SEALED_COLUMNS:
        for rows in _batches(sealed, keyring.primary, batch_size):
            for row in rows:
                setattr(row, sealed.column, _resealed(keyring, sealed, row))
                setattr(row, sealed.key_column, keyring.primary)
            db.session.commit()
            done += len(rows)
            if progress:
                progress(done, total)
    return done


def _resealed(keyring: Keyring, sealed: SealedColumn, row) -> bytes:
    """The row's value sealed again under the primary key, at the column's current place."""
    place = sealed.place(row)
    try:
        plaintext = open_at(keyring, getattr(row, sealed.column), place, lambda: sealed.older_places(row))
    except CryptoError as error:
        raise store.Unreadable(place, type(error).__name__) from error
    return keyring.seal(plaintext, place)


def retire_key(key_id: str, keyring_file: str | Path) -> Keyring:
    """Drop a key from the keyring, only when nothing is sealed with it any more."""
    in_use = key_usage().get(key_id, 0)
    if in_use:
        raise ValueError(f"key {key_id} still seals {in_use} values; run 'flask keys rotate --resume' first")
    try:
        keyring = current_keyring().without(key_id)
    except KeyringError as error:  # the primary key, or one not in the keyring
        raise ValueError(str(error)) from error
    keyring.write_file(keyring_file)
    replace_keyring(keyring)
    return keyring


@dataclass(frozen=True)
class SealedCheck:
    """How many sealed values were tried, and the places of those that did not open."""

    opened: int
    unreadable: list[str]


def sealed_value_count(session: Session) -> int:
    return sum(
        session.scalar(select(func.count()).where(getattr(s.model, s.column).is_not(None))) or 0
        for s in SEALED_COLUMNS
    )


def check_sealed_values(session: Session, keyring: Keyring, progress: Progress | None = None) -> SealedCheck:
    """Try to open every keyring-sealed value in the database ``session`` reads (which may be
    a restored copy, not the site's own) with ``keyring``; what opens is discarded at once.
    Narratives are skipped: only a coordinator's key opens them.
    Only the columns a value's place needs are read (no whole rows)."""
    total = sealed_value_count(session)
    opened, unreadable, done = 0, [], 0
    for sealed in SEALED_COLUMNS:
        value = getattr(sealed.model, sealed.column)
        identity = [getattr(sealed.model, name) for name in _PLACE_COLUMNS[sealed.model.__name__]]
        rows = session.execute(select(value, *identity).where(value.is_not(None)).execution_options(yield_per=2000))
        for blob, *ids in rows:
            if is_narrative(blob):
                continue  # a narrative: the keyring never opens it (nor should it)
            row = SimpleNamespace(**dict(zip(_PLACE_COLUMNS[sealed.model.__name__], ids)))
            place = sealed.place(row)
            try:
                open_at(keyring, blob, place, lambda: sealed.older_places(row))
                opened += 1
            except CryptoError:
                unreadable.append(place)
            done += 1
            if progress and done % 2000 == 0:
                progress(done, total)
    if progress:
        progress(done, total)
    return SealedCheck(opened, unreadable)


# The columns each model's ``SealedColumn.place`` (and ``older_places``) reads.
_PLACE_COLUMNS = {
    "Response": ("id",),
    "Account": ("id",),
    "CommentGloss": ("response_id", "field"),
    "Quote": ("id",),
}
