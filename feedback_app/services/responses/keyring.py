"""Access to the application's keyring (loaded once, in ``config.load_secrets``), and
opening a value that older versions may have bound to another place (``open_at``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import current_app

from ...crypto import Keyring, OpenFailed

EXTENSION_KEY = "feedback_keyring"


def current_keyring() -> Keyring:
    return current_app.extensions[EXTENSION_KEY]


def replace_keyring(keyring: Keyring) -> None:
    """Use a new keyring from now on (after ``flask keys rotate`` wrote it)."""
    current_app.extensions[EXTENSION_KEY] = keyring


def open_at(keyring: Keyring, blob: bytes, place: str, older: Callable[[], Iterable[str]] = tuple) -> bytes:
    """``blob`` opened at ``place``, or, if its tag fails there, at the first of the places
    older versions bound such values to (``older()``, only worked out then). If none opens,
    the error for ``place`` is raised: a ``CryptoError``, which the callers (the store, key
    rotation) turn into ``store.Unreadable``."""
    try:
        return keyring.open(blob, place)
    except OpenFailed as first:
        for older_place in older():
            try:
                return keyring.open(blob, older_place)
            except OpenFailed:
                continue
        raise first
