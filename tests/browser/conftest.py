"""Browser tests: real headless Chromium (Debian's package) against the app under gunicorn.

The quick exit leaves to a small "neutral site" served on another local port, so that
leaving can be followed without the internet. Every request the browser makes is
recorded; only the app and that neutral site may be asked for anything.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from feedback_app.config import PROJECT_ROOT
from feedback_app.crypto import Keyring
from tests.helpers.chromium import PHONE, TABLET, launch_args  # noqa: F401  (PHONE, TABLET: for the tests)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
NEUTRAL_TITLE = "Weather forecast"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NeutralSite(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.do_GET()

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/slow"):
            time.sleep(10)  # a site (or server) that takes far too long to answer
        body = f"<!doctype html><title>{NEUTRAL_TITLE}</title><h1>{NEUTRAL_TITLE}</h1>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def neutral_site():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), NeutralSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/weather"
    server.shutdown()
    server.server_close()


@dataclass
class LiveServer:
    url: str
    keyring: Keyring
    secret_key: str
    log_path: Path
    exit_url: str
    process: subprocess.Popen = field(repr=False)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def live_server(test_database, neutral_site, tmp_path_factory):
    port = free_port()
    keyring = Keyring.generate()
    secret_key = secrets.token_urlsafe(48)
    log_path = tmp_path_factory.mktemp("live") / "gunicorn.log"
    # A coordinator's unlocked narrative key must reach whichever worker answers: Redis, as in
    # production, under a prefix of this run's own (deleted afterwards). Without a Redis, one
    # worker keeps it in memory.
    sessions = _narrative_session_store()
    env = dict(
        os.environ,
        FEEDBACK_CONFIG="test",
        LIVE_DATABASE_URL=test_database.url,
        LIVE_SECRET_KEY=secret_key,
        LIVE_KEYRING=keyring.to_json(),
        LIVE_EXIT_URL=neutral_site,
        LIVE_OVERRIDES=json.dumps(sessions or {}),
        PYTHONPATH=str(PROJECT_ROOT),
    )
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(PROJECT_ROOT / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}", "--workers", "2" if sessions else "1", "--log-level", "info",
        "tests.browser.live_wsgi:app",
    ]
    log = open(log_path, "wb")
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("the live server did not start:\n" + log_path.read_text())
            time.sleep(0.2)
    server = LiveServer(url, keyring, secret_key, log_path, neutral_site, process)
    yield server
    process.terminate()
    process.wait(timeout=10)
    log.close()
    if sessions:
        from feedback_app.services.staff.narrative_sessions import RedisStore

        RedisStore(sessions["NARRATIVE_SESSION_STORE"], sessions["NARRATIVE_SESSION_PREFIX"]).clear()


LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def _narrative_session_store() -> dict | None:
    """Settings for a Redis session store with a prefix of this run's own, if Redis answers."""
    try:
        import redis

        redis.Redis.from_url(LOCAL_REDIS, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:
        return None
    return {
        "NARRATIVE_SESSION_STORE": LOCAL_REDIS,
        "NARRATIVE_SESSION_PREFIX": f"feedback-test-{secrets.token_hex(6)}:narrative:",
    }


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return launch_args(browser_type_launch_args)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


class RequestLog:
    """Every URL the page asked for, to prove nothing goes to another host."""

    def __init__(self, allowed: list[str]):
        self.allowed = {urlsplit(u).netloc for u in allowed}
        self.urls: list[str] = []

    def record(self, request) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        return [u for u in self.urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                and urlsplit(u).netloc not in self.allowed]


@pytest.fixture
def requests_seen(page, live_server):
    log = RequestLog([live_server.url, live_server.exit_url])
    page.on("request", log.record)
    return log


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.x A/AA (up to 2.2) violations on the current page."""
    # Evaluated through the DevTools protocol, so the page's CSP stays as it is.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
              nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return result


def storage_entries(page) -> dict:
    """What the page keeps in browser storage (should be nothing)."""
    return page.evaluate(
        """async () => {
            const dbs = indexedDB.databases ? await indexedDB.databases() : [];
            return {local: localStorage.length, session: sessionStorage.length, indexeddb: dbs.length};
        }"""
    )
