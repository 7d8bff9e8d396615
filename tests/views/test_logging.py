"""Logs never hold addresses, user agents, query strings or bodies."""

import logging
from pathlib import Path

from feedback_app.config import PROJECT_ROOT

ADDRESS = "203.0.113.77"
AGENT = "DistinctiveAgent/9.9"


def test_request_log_leaves_out_client_details(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(
        "/?lang=pl&secret=query-value",
        headers={"User-Agent": AGENT, "X-Forwarded-For": ADDRESS, "Referer": "https://example.org/ref"},
        environ_base={"REMOTE_ADDR": ADDRESS},
    )
    client.post("/exit", data={"answer": "body-value"}, environ_base={"REMOTE_ADDR": ADDRESS})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET / 200" in logged
    for leak in (ADDRESS, AGENT, "query-value", "secret=", "body-value", "example.org"):
        assert leak not in logged


def test_gunicorn_has_no_access_log():
    settings: dict = {}
    exec(Path(PROJECT_ROOT / "gunicorn.conf.py").read_text(), settings)
    assert settings["accesslog"] is None
    for field in ("%(h)s", "%(a)s", "%(q)s", "%(f)s", "%(r)s", "%(U)s?"):
        assert field not in settings["access_log_format"]
