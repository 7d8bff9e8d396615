"""``/healthz`` tells the proxy and monitoring whether the site can take answers: no secrets,
no counts."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from feedback_app.extensions import db
from tests.conftest import running_app


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"database": "ok", "rate_limits": "off", "keyring": "ok", "narratives": "ok"}  # tests count nothing
    assert response.headers["Cache-Control"].startswith("no-store")


def test_a_database_that_does_not_answer_is_reported(app, client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError())

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


@pytest.fixture
def app_with_redis_down(test_database):
    with running_app(test_database, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0") as app:
        yield app


def test_redis_down_is_reported_as_fallback_and_still_healthy(app_with_redis_down):
    response = app_with_redis_down.test_client().get("/healthz")
    assert response.status_code == 200  # answers are still taken, counted in-process
    assert response.get_json()["rate_limits"] == "fallback"


def test_it_says_nothing_else(client):
    body = client.get("/healthz").get_json()
    assert set(body) == {"database", "rate_limits", "keyring", "narratives"}
    assert all(isinstance(v, str) and not any(ch.isdigit() for ch in v) for v in body.values())


def test_a_working_redis_is_reported(test_database):
    with running_app(test_database, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15") as app:
        assert app.test_client().get("/healthz").get_json()["rate_limits"] == "redis"


def test_a_site_without_narrative_keys_says_so_and_still_takes_answers(test_database, caplog):
    with running_app(test_database, narratives=False) as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json()["narratives"] == "missing"
    assert "flask narratives init" in caplog.text
