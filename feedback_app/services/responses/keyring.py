"""Access to the application's keyring (loaded once, in ``config.load_secrets``), and
opening a value that may be bound to one of several places."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app

from ...crypto import Keyring, OpenFailed

EXTENSION_KEY = "feedback_keyring"


def current_keyring() -> Keyring:
    return current_app.extensions[EXTENSION_KEY]


def replace_keyring(keyring: Keyring) -> None:
    """Use a new keyring from now on (after ``flask keys rotate`` wrote it)."""
    current_app.extensions[EXTENSION_KEY] = keyring


def open_first(keyring: Keyring, blob: bytes, places: Sequence[str]) -> bytes:
    """``blob`` opened at the first of ``places`` it is bound to (the current place first,
    then places older versions bound values to). Only a failed tag moves on to the next
    place; if none opens, the error for the first place is raised (a ``CryptoError``, which
    the callers, the store and key rotation, turn into ``store.Unreadable``)."""
    try:
        return keyring.open(blob, places[0])
    except OpenFailed as first:
        for place in places[1:]:
            try:
                return keyring.open(blob, place)
            except OpenFailed:
                continue
        raise first
