"""Seal and open short texts that restate survivor words (glosses, quotes) with the keyring.

A text that does not open (altered, bound to another place, an unknown key, not UTF-8)
raises ``store.Unreadable``, like a response's answers: no ``CryptoError`` leaves here.
"""

from __future__ import annotations

from ...crypto import CryptoError
from .keyring import current_keyring
from .store import Unreadable


def seal_text(text: str, place: str) -> tuple[str, bytes]:
    """``(key id, blob)`` of ``text`` sealed under the primary key, bound to ``place``."""
    keyring = current_keyring()
    return keyring.primary, keyring.seal(text.encode("utf-8"), place)


def open_text(blob: bytes, place: str) -> str:
    """The text of a sealed blob; ``Unreadable`` if it does not open at ``place``."""
    try:
        return current_keyring().open(blob, place).decode("utf-8")
    except (CryptoError, UnicodeDecodeError) as error:
        raise Unreadable(place, type(error).__name__) from error
