"""What nginx answers itself, and what it passes on: TLS only, long lines, compression."""

from __future__ import annotations

import http.client
import re
from pathlib import Path

from tests.production.stack import PROJECT_ROOT, tls_context

QUICK_EXIT = (PROJECT_ROOT / "feedback_app" / "templates" / "components" / "quick_exit.html").read_text()
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "strict-transport-security": "max-age=",
}


def _get(stack, path: str, headers: dict | None = None):
    connection = http.client.HTTPSConnection("127.0.0.1", stack.https_port, context=tls_context(), timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_a_request_line_over_8_kb_gets_the_custom_414_page_with_the_quick_exit(page, stack, reader):
    response = page.goto(stack.url + "/s/adult?" + "a" * 9000)
    assert response.status == 414
    headers = response.all_headers()
    for name, expected in SECURITY_HEADERS.items():
        assert expected in headers.get(name, ""), (name, headers.get(name))
    exit_link = page.locator("a.quick-exit")
    assert exit_link.get_attribute("href") == reader.config["QUICK_EXIT_URL"]
    assert exit_link.get_attribute("rel") == "noreferrer"
    assert exit_link.is_visible()
    assert page.locator(".quick-exit__label").inner_text() == "Leave this site"
    assert page.title() == "Service feedback"


def test_every_error_page_nginx_serves_carries_the_same_quick_exit_as_the_app(reader):
    label = re.search(r'class="quick-exit"', QUICK_EXIT)
    assert label
    for code in (413, 414, 502, 503, 504):
        html = (PROJECT_ROOT / "deploy" / "errors" / f"{code}.html").read_text()
        assert f'<a class="quick-exit" href="{reader.config["QUICK_EXIT_URL"]}" rel="noreferrer" data-quick-exit>' in html
        assert '<span class="quick-exit__label">Leave this site</span>' in html
        assert "<script" not in html


def test_a_body_over_the_apps_limit_gets_the_custom_413_page(stack):
    connection = http.client.HTTPSConnection("127.0.0.1", stack.https_port, context=tls_context(), timeout=30)
    try:
        body = b"x" * (3 * 1024 * 1024)
        connection.request("POST", "/s/adult", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        html = response.read().decode()
    finally:
        connection.close()
    assert response.status == 413
    assert 'class="quick-exit"' in html
    assert "no-referrer" in response.getheader("Referrer-Policy", "")


def test_plain_http_redirects_to_https(page, stack):
    response = page.goto(stack.http_url + "/s/adult")
    assert page.url == stack.url + "/s/adult"
    assert response.status == 200
    connection = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    connection.request("GET", "/staff/sign-in")
    redirect = connection.getresponse()
    connection.close()
    assert redirect.status == 301
    assert redirect.getheader("Location") == stack.url + "/staff/sign-in"


def test_only_tls_1_2_and_later_are_offered(stack):
    import socket
    import ssl
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 on purpose
        context = tls_context()
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    try:
        context.set_ciphers("ALL:@SECLEVEL=0")
    except ssl.SSLError:
        pass
    with socket.create_connection(("127.0.0.1", stack.https_port), timeout=10) as raw:
        try:
            with context.wrap_socket(raw):
                raise AssertionError("a TLS 1.0/1.1 handshake succeeded")
        except (ssl.SSLError, ConnectionResetError):
            pass


def test_static_files_come_compressed_and_pages_do_not(stack):
    for path in ("/static/css/site.css", "/static/js/htmx.min.js", "/static/js/quick-exit.js"):
        response, body = _get(stack, path, {"Accept-Encoding": "gzip"})
        assert response.status == 200, path
        assert response.getheader("Content-Encoding") == "gzip", path
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        plain = Path(PROJECT_ROOT / path.lstrip("/")).read_bytes()
        assert len(body) < len(plain)
    for path in ("/", "/s/adult", "/staff/sign-in"):
        response, body = _get(stack, path, {"Accept-Encoding": "gzip, deflate, br"})
        assert response.status == 200, path
        assert response.getheader("Content-Encoding") is None, path
        assert b"<html" in body
        # The app's headers pass through once, not doubled by nginx.
        assert len(response.headers.get_all("Content-Security-Policy")) == 1


def test_no_access_log_is_written(stack):
    _get(stack, "/")
    assert not any(stack.directory.glob("access*.log"))
    conf = (PROJECT_ROOT / "deploy" / "nginx" / "feedback.conf").read_text()
    assert conf.count("access_log off;") == 2
