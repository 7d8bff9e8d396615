"""The web server refuses to serve survivors before the partnership's narrative key exists:
their words would otherwise be sealed with the keyring, which the server alone opens."""

from __future__ import annotations

import subprocess
import sys

import pytest

from feedback_app.config import PROJECT_ROOT
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.production.stack import free_port, wait_for_port


@pytest.fixture
def fresh_site(stack, tmp_path):
    """The stack's production settings on a new database, migrated, with no narrative key."""
    url, name = create_postgres_database(stack.server_url, prefix="feedback_start_up")
    env = dict(stack.env, DATABASE_URL=url, FEEDBACK_INSTANCE_PATH=str(tmp_path / "instance"))
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    yield env, flask
    drop_postgres_database(stack.server_url, name)


def gunicorn(env, port, log):
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(PROJECT_ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "wsgi:app"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def test_gunicorn_refuses_to_start_until_narratives_init(fresh_site, tmp_path):
    env, flask = fresh_site
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        refused = gunicorn(env, free_port(), log)
    try:
        assert refused.wait(timeout=60) == 1
    finally:
        if refused.poll() is None:  # it started after all: stop it, the test has failed
            refused.terminate()
            refused.wait(timeout=40)
    said = log_path.read_text()
    assert "Cannot start: there is no narrative key" in said and "narratives init" in said
    assert "Traceback" not in said

    init = subprocess.run([*flask, "narratives", "init"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    port = free_port()
    with open(log_path, "ab") as log:
        served = gunicorn(env, port, log)
    try:
        wait_for_port(port, served, "gunicorn", log_path, timeout=60)
    finally:
        served.terminate()
        served.wait(timeout=40)
