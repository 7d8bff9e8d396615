"""``flask keys generate`` is the first command a new operator runs in production, before any
keyring (or database) exists; it never overwrites a keyring."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from feedback_app.crypto import Keyring

PROJECT = Path(__file__).resolve().parents[2]


def flask(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # Production, and nothing else: no secret key, no database, no keyring.
    environ = {"PATH": os.environ.get("PATH", ""), "FEEDBACK_CONFIG": "production", "PYTHONPATH": str(PROJECT)}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", str(PROJECT / "wsgi.py"), *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_generate_works_in_production_before_a_keyring_exists(tmp_path):
    result = flask("keys", "generate", "--output", "keyring.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "keyring.json"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    keyring = Keyring.from_file(path)  # a usable keyring, not just a file
    assert keyring.primary in result.stdout
    assert keyring.to_json() not in result.stdout  # the keys themselves are not printed when written


def test_generate_never_overwrites_a_keyring(tmp_path):
    assert flask("keys", "generate", "--output", "keyring.json", cwd=tmp_path).returncode == 0
    before = (tmp_path / "keyring.json").read_bytes()
    again = flask("keys", "generate", "--output", "keyring.json", cwd=tmp_path)
    assert again.returncode != 0
    assert "never overwritten" in again.stderr + again.stdout
    assert (tmp_path / "keyring.json").read_bytes() == before


def test_commands_that_need_the_app_still_refuse_without_its_secrets(tmp_path):
    result = flask("keys", "status", cwd=tmp_path)
    assert result.returncode != 0
    assert "Cannot start: missing SECRET_KEY" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
