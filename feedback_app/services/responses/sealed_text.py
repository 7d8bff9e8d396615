"""Seal and open short texts that restate survivor words (glosses, quotes) with the keyring."""

from __future__ import annotations

from .keyring import current_keyring


def seal_text(text: str, place: str) -> tuple[str, bytes]:
    """``(key id, blob)`` of ``text`` sealed under the primary key, bound to ``place``."""
    keyring = current_keyring()
    return keyring.primary, keyring.seal(text.encode("utf-8"), place)


def open_text(blob: bytes, place: str) -> str:
    """The text of a sealed blob; raises ``CryptoError`` if it does not open at ``place``."""
    return current_keyring().open(blob, place).decode("utf-8")
