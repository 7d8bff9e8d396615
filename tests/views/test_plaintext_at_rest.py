"""Answers never reach the database in the clear: look at the raw bytes."""

import shutil
import subprocess

import pytest

from feedback_app.extensions import db
from tests.helpers.responses import store

SENTENCE = "The purple umbrella waited beside platform nine"


def test_sentence_is_not_in_the_database(app, test_database):
    store({"anything_else": SENTENCE, "helpful.police": SENTENCE.upper()})
    db.session.remove()
    db.engine.dispose()
    if test_database.kind == "sqlite":
        raw = test_database.path.read_bytes()
        for suffix in ("-wal", "-journal"):
            extra = test_database.path.with_name(test_database.path.name + suffix)
            if extra.exists():
                raw += extra.read_bytes()
        assert b"responses" in raw  # the file really is the database
    else:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            pytest.fail("pg_dump is needed to check PostgreSQL at rest")
        raw = subprocess.run(
            [pg_dump, "--data-only", "--table=responses", test_database.libpq_url()],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
        assert b"COPY public.responses" in raw
    assert SENTENCE.encode() not in raw
    assert SENTENCE.upper().encode() not in raw
    assert b"platform" not in raw.lower()
