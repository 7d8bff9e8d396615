"""Fixtures for the unit tests."""

import pytest

from feedback_app.services.responses.keyring import current_keyring


@pytest.fixture
def key_file(app, tmp_path):
    """The app's keyring written to a key file (as in production), so that rotation can
    write a new primary key to it."""
    path = tmp_path / "keyring.json"
    current_keyring().write_file(path)
    app.config["KEYRING_FILE"] = str(path)
    return path
