"""Behind the TLS proxy production runs behind: staff sign in over HTTPS (where browsers send
no Referer, as every page asks them not to), the client's address comes from exactly the
configured number of proxies, and cross-site posts are refused."""

from __future__ import annotations

import pytest
from flask import request

from feedback_app.config import ConfigurationError, ProductionConfig, environment_settings
from feedback_app.security import rate_limit_key
from tests.conftest import running_app
from tests.helpers.staff import PASSWORD, csrf_from, make_account, sign_in

# What the shipped nginx adds to every request it passes on.
FROM_NGINX = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


@pytest.fixture
def proxied_app(test_database):
    with running_app(test_database, PROXY_HOPS=1, SESSION_COOKIE_SECURE=True) as app:
        yield app


def _through_proxy(app, address="203.0.113.7"):
    client = app.test_client()
    client.environ_base.update({"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": address})
    return client


def test_staff_sign_in_over_https_without_a_referer(proxied_app):
    """Flask-WTF's strict check refused every HTTPS post without a Referer (400)."""
    _account, secret = make_account("coordinator", "c@example.org")
    client = _through_proxy(proxied_app)
    response = sign_in(client, "c@example.org", PASSWORD, secret)
    assert response.status_code == 302
    assert response.headers["Location"] == "/coordinator/"
    assert client.get("/coordinator/").status_code == 200


def test_the_session_cookie_is_secure_behind_the_proxy(proxied_app):
    make_account("worker", "w@example.org")
    client = _through_proxy(proxied_app)
    response = sign_in(client, "w@example.org")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_a_post_the_browser_marks_cross_site_is_refused(proxied_app):
    make_account("worker", "w@example.org")
    client = _through_proxy(proxied_app)
    token = csrf_from(client, "/staff/sign-in")
    data = {"csrf_token": token, "email": "w@example.org", "password": PASSWORD}
    for site in ("cross-site", "same-site"):
        assert client.post("/staff/sign-in", data=data, headers={"Sec-Fetch-Site": site}).status_code == 403
    assert client.post("/staff/sign-in", data=data, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 302


def _key_seen(app, **headers) -> tuple[str, str]:
    """(the client address the app believes, its rate-limit key) for a request with ``headers``."""
    if "key_probe" not in app.view_functions:

        @app.get("/__key", endpoint="key_probe")
        def key_probe():
            return {"address": request.remote_addr, "key": rate_limit_key()}

    seen = app.test_client().get("/__key", headers=headers).get_json()
    return seen["address"], seen["key"]


def test_the_client_address_comes_from_exactly_one_proxy(proxied_app):
    address, key = _key_seen(proxied_app, **FROM_NGINX)
    assert address == "203.0.113.7"
    other_address, other_key = _key_seen(proxied_app, **{**FROM_NGINX, "X-Forwarded-For": "203.0.113.8"})
    assert other_address == "203.0.113.8" and other_key != key
    # A client that sends its own X-Forwarded-For cannot choose its bucket: the proxy's
    # own entry (the last one) is the one believed.
    spoofed_address, spoofed_key = _key_seen(proxied_app, **{**FROM_NGINX, "X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    assert (spoofed_address, spoofed_key) == (address, key)
    assert address not in key  # the key is an HMAC, never the address


def test_without_a_proxy_forwarded_headers_are_ignored(app):
    address, _key = _key_seen(app, **FROM_NGINX)
    assert address == "127.0.0.1"


def test_proxy_hops_and_redis_come_from_the_environment():
    assert environment_settings({"FEEDBACK_PROXY_HOPS": "2", "REDIS_URL": "redis://r:6379/1"}) == {
        "PROXY_HOPS": 2,
        "RATELIMIT_STORAGE_URI": "redis://r:6379/1",
    }
    assert environment_settings({}) == {}
    assert environment_settings({"FEEDBACK_SUBMISSION_RATE_LIMIT": "5 per hour", "FEEDBACK_EVALUATION_RATE_LIMIT": "3 per hour"}) == {
        "SUBMISSION_RATE_LIMIT": "5 per hour",
        "EVALUATION_SUBMISSION_RATE_LIMIT": "3 per hour",
    }
    with pytest.raises(ConfigurationError, match="FEEDBACK_SUBMISSION_RATE_LIMIT"):
        environment_settings({"FEEDBACK_SUBMISSION_RATE_LIMIT": "lots"})
    for bad in ("one", "-1", "9"):
        with pytest.raises(ConfigurationError, match="FEEDBACK_PROXY_HOPS"):
            environment_settings({"FEEDBACK_PROXY_HOPS": bad})


def test_production_believes_one_proxy_and_checks_pooled_connections():
    assert ProductionConfig.PROXY_HOPS == 1
    assert ProductionConfig.SQLALCHEMY_ENGINE_OPTIONS["pool_pre_ping"] is True
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
