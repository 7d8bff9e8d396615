"""The narrative keys as the sealed-response store uses them.

* sealing: ``current_public_key``, the partnership's narrative public key (the newest key
  pair not retired), read from the database once per request or command; None before
  ``flask narratives init``, when free text is still sealed with the keyring as before;
* opening: the private keys a signed-in coordinator unlocked *for this request only*
  (``use_openers``, called by ``services.staff.narrative_sessions`` before each request, or by
  a command that was given the recovery key or a passphrase). They live in Flask's ``g`` and
  go with it; nothing here keeps them longer.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from ...crypto import NarrativeKey, NarrativeOpener
from ...extensions import db
from ...models import NarrativeKeyPair

_PUBLIC = "_narrative_public_key"
_OPENERS = "_narrative_openers"


class NarrativesLocked(Exception):
    """Words were asked for and no narrative key is unlocked for this request."""

    def __init__(self) -> None:
        super().__init__("the survivors' words need a coordinator's unlocked narrative key")


def current_public_key() -> NarrativeKey | None:
    """The public key new narratives are sealed to; None if none was ever made."""
    if _PUBLIC not in g:
        pair = db.session.scalars(
            select(NarrativeKeyPair)
            .where(NarrativeKeyPair.retired_at.is_(None))
            .order_by(NarrativeKeyPair.created_at.desc(), NarrativeKeyPair.id)
            .limit(1)
        ).first()
        g.setdefault(_PUBLIC, NarrativeKey(pair.id, bytes(pair.public_key)) if pair else None)
    return g.get(_PUBLIC)


def forget_public_key() -> None:
    """After a new key pair was made (init, rotate): read it again."""
    g.pop(_PUBLIC, None)


def use_openers(openers: list[NarrativeOpener]) -> None:
    """The private keys unlocked for this request (replacing any before)."""
    setattr(g, _OPENERS, {opener.key_id: opener for opener in openers})


def forget_openers() -> None:
    g.pop(_OPENERS, None)
    g.pop(_PUBLIC, None)


def opener_for(key_id: str | None) -> NarrativeOpener | None:
    return g.get(_OPENERS, {}).get(key_id) if key_id else None


def unlocked() -> bool:
    """Whether this request can open narratives sealed to the current key (or, before any
    key exists, whether there is nothing to unlock)."""
    public = current_public_key()
    return public is None or opener_for(public.key_id) is not None


def openers() -> dict[str, NarrativeOpener]:
    return dict(g.get(_OPENERS, {}))
