"""Every page, including error pages, carries the security headers."""

import re

import pytest
from flask import abort, request

from tests.helpers.pages import check_page

EXPECTED = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def public_get_urls(app):
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            urls.append(rule.rule)
    return sorted(urls)


def assert_security_headers(response):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert re.search(r"script-src 'self' 'nonce-[\w-]{20,}'", csp)
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Server" not in response.headers
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_there_are_pages_to_check(app):
    assert "/" in public_get_urls(app)


def test_every_page_has_security_headers_and_no_cache(app, client):
    for url in public_get_urls(app) + ["/no-such-page"]:
        response = client.get(url)
        # Staff pages send someone who is not signed in to the sign-in page.
        assert response.status_code in (200, 302, 404), url
        assert_security_headers(response)
        assert response.headers["Cache-Control"].startswith("no-store")
        check_page(response)


def test_nonce_changes_every_request(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_static_files_have_security_headers(client):
    response = client.get("/static/js/quick-exit.js")
    assert response.status_code == 200
    assert_security_headers(response)
    response.close()


@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500])
def test_error_pages_are_kind_and_reveal_nothing(app, code):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get(f"/__fail/{code}")
    def fail():
        abort(code)

    response = app.test_client().get(f"/__fail/{code}")
    assert response.status_code == code
    assert_security_headers(response)
    page = check_page(response)
    text = page.get_text(" ", strip=True)
    assert page.find("h1").get_text(strip=True)
    assert "Leave this site" in text
    for leak in ("Traceback", "Werkzeug", "Flask", "Python", "sqlalchemy", "abort("):
        assert leak not in text


def test_unexpected_exception_shows_the_kind_500_page(test_database):
    from tests.conftest import make_app

    app = make_app(test_database, TESTING=False)

    @app.get("/__boom")
    def boom():
        raise RuntimeError("secret detail /srv/app/feedback.py line 12")

    with app.app_context():
        response = app.test_client().get("/__boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Sorry, something went wrong on our side" in text
    assert "secret detail" not in text and "RuntimeError" not in text


def test_oversized_body_gets_the_413_page(app):
    app.config["WTF_CSRF_ENABLED"] = False

    @app.post("/__form")
    def form():
        return str(len(request.form))

    response = app.test_client().post("/__form", data={"x": "a" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too much to send" in response.get_data(as_text=True)


def test_shared_pages_get_a_fresh_nonce_each_time(client):
    pages = [client.get("/staying-safe-online") for _ in range(2)] + [client.get("/staying-safe-online?lang=pl")]
    nonces = [re.search(r"'nonce-([\w-]+)'", p.headers["Content-Security-Policy"]).group(1) for p in pages]
    assert len(set(nonces)) == 3
    for page, nonce in zip(pages, nonces):
        check_page(page)  # every script carries this response's nonce
        assert "__csp_nonce_placeholder__" not in page.get_data(as_text=True)
    assert '<html lang="pl"' in pages[2].get_data(as_text=True)
