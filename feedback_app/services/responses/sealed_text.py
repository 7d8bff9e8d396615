"""Seal and open short texts that restate survivor words (glosses, quotes).

* ``seal_words``: a text not approved for publication (a gloss, a quote's draft) is sealed as
  a narrative to the partnership's narrative public key, like the words it restates (with
  the keyring before any narrative key exists);
* ``seal_text``: a text approved for publication (an approved quote) is sealed with the
  keyring, so reports and PDFs render with no coordinator signed in.

``open_text`` opens either kind: a narrative only with a key unlocked for this request
(``NarrativesLocked`` otherwise). A text that does not open (altered, bound to another place,
an unknown key, not UTF-8) raises ``store.Unreadable``, like a response's answers: no
``CryptoError`` leaves here.
"""

from __future__ import annotations

from ...crypto import CryptoError, is_narrative, narrative_key_id
from . import narrative_keys
from .keyring import current_keyring
from .narrative_keys import NarrativesLocked
from .store import Unreadable


def seal_text(text: str, place: str) -> tuple[str, bytes]:
    """``(key id, blob)`` of ``text`` sealed under the keyring's primary key, bound to ``place``."""
    keyring = current_keyring()
    return keyring.primary, keyring.seal(text.encode("utf-8"), place)


def seal_words(text: str, place: str) -> tuple[str, bytes]:
    """``(key id, blob)`` of ``text`` sealed to the narrative public key (the keyring's
    primary key before narrative keys exist), bound to ``place``."""
    public = narrative_keys.current_public_key()
    if public is None:
        return seal_text(text, place)
    return public.key_id, public.seal(text.encode("utf-8"), place)


def is_words(blob: bytes) -> bool:
    """Whether a stored text is sealed as a narrative (needs a coordinator's key)."""
    return is_narrative(blob)


def open_text(blob: bytes, place: str) -> str:
    """The text of a sealed blob; ``Unreadable`` if it does not open at ``place``,
    ``NarrativesLocked`` if it is a narrative and no key for it is unlocked."""
    try:
        if is_narrative(blob):
            opener = narrative_keys.opener_for(narrative_key_id(blob))
            if opener is None:
                raise NarrativesLocked()
            return opener.open(bytes(blob), place).decode("utf-8")
        return current_keyring().open(blob, place).decode("utf-8")
    except (CryptoError, UnicodeDecodeError) as error:
        raise Unreadable(place, type(error).__name__) from error


def reseal_words(blob: bytes, place: str, opener, public) -> bytes:
    """A narrative text opened with ``opener`` and sealed again to ``public`` (rotation), or
    a keyring-sealed one moved into a narrative (migration, ``opener`` unused)."""
    try:
        if is_narrative(blob):
            plaintext = opener.open(bytes(blob), place)
        else:
            plaintext = current_keyring().open(bytes(blob), place)
    except CryptoError as error:
        raise Unreadable(place, type(error).__name__) from error
    return public.seal(plaintext, place)
