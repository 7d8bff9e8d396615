"""Logs never hold addresses, user agents, query strings or bodies."""

import logging
import re
from pathlib import Path

from flask import request

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


def test_an_unhandled_error_is_logged_with_where_it_happened_but_nothing_said(test_database, caplog):
    """A production fault can be diagnosed from the log (type, file, line, function), and the
    log holds nothing a survivor typed: no message, no locals, no query string, no body."""
    from tests.conftest import make_app

    app = make_app(test_database, TESTING=False, WTF_CSRF_ENABLED=False)

    def open_the_box(words):
        try:
            {}["missing"]
        except KeyError as inner:
            raise RuntimeError(f"could not store {words}") from inner

    @app.post("/__boom")
    def boom():
        open_the_box(request.form["said"])

    caplog.set_level(logging.ERROR, logger="feedback_app.errors")
    with app.app_context():
        response = app.test_client().post(
            "/__boom?who=survivor-name", data={"said": "he hurt me on Mill Road"}, environ_base={"REMOTE_ADDR": "198.51.100.9"}
        )
    assert response.status_code == 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "builtins.RuntimeError" in logged and "builtins.KeyError" in logged
    assert "in open_the_box" in logged and "in boom" in logged and "test_logging.py" in logged
    assert re.search(r"line \d+, in open_the_box", logged)
    for leak in ("Mill Road", "hurt", "survivor-name", "198.51.100.9", "'missing'"):
        assert leak not in logged, leak
