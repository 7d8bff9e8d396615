"""Narrative keys in tests: every test app has a narrative key pair (made by the ``app``
fixture), the private key kept in the app's extensions for the test's own direct calls, and
coordinators made by ``tests.helpers.staff.make_account`` get access under their password, so
they read comments after signing in, as in production."""

from __future__ import annotations

from flask import current_app

from feedback_app.crypto import NarrativeOpener
from feedback_app.services.responses import narrative_keys
from feedback_app.services.staff import narrative_access

EXTENSION_KEY = "test_narrative_keys"


def initialise() -> NarrativeOpener:
    """Make the key pair; the test's own code (not requests) may open narratives with it."""
    _pair, recovery, opener = narrative_access.initialise("test")
    current_app.extensions[EXTENSION_KEY] = (opener, recovery)
    narrative_keys.use_openers([opener])
    return opener


def opener() -> NarrativeOpener | None:
    return current_app.extensions.get(EXTENSION_KEY, (None, None))[0]


def recovery_key() -> str | None:
    return current_app.extensions.get(EXTENSION_KEY, (None, None))[1]


def unlock_for_test() -> None:
    """Open narratives in the test's own calls again (after a request replaced the keys)."""
    if opener() is not None:
        narrative_keys.use_openers([opener()])


def lock_for_test() -> None:
    narrative_keys.forget_openers()


def give_access(account, password: str) -> None:
    if opener() is not None and account.role == narrative_access.READER_ROLE:
        narrative_access.give_with_password(account, password, [opener()], "test")


def opened_answers(row, keyring) -> dict:
    """A stored row's answers, opened with ``keyring`` (e.g. a live server's) for the chosen
    answers and this test's narrative key for the words, as a coordinator would see them."""
    from feedback_app.services.responses.store import WRITTEN, decode_answers, narrative_place, payload_place

    answers = decode_answers(keyring.open(row.payload, payload_place(row.id)))
    answers.pop(WRITTEN, None)
    if row.narrative is not None:
        answers.update(decode_answers(opener().open(bytes(row.narrative), narrative_place(row.id))))
    return answers
