"""Access to the application's keyring (loaded once, in ``config.load_secrets``)."""

from __future__ import annotations

from flask import current_app

from ...crypto import Keyring

EXTENSION_KEY = "feedback_keyring"


def current_keyring() -> Keyring:
    return current_app.extensions[EXTENSION_KEY]


def replace_keyring(keyring: Keyring) -> None:
    """Use a new keyring from now on (after ``flask keys rotate`` wrote it)."""
    current_app.extensions[EXTENSION_KEY] = keyring
