"""PDFs are made offline: only the site's own static files are ever fetched."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from feedback_app.services.reports.pdf import BASE_URL, RefusedFetch, html_to_pdf, static_only_fetcher


class CountingHandler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        CountingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    CountingHandler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_our_stylesheet_is_served_from_disk(app):
    fetcher = static_only_fetcher()
    response = fetcher(BASE_URL + "static/css/site.css")
    assert response.content_type == "text/css"
    assert b".summary-audience" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/style.css",
        "https://pdf.invalid.example.org/static/css/site.css",
        "file:///etc/passwd",
        "data:text/css,body{color:red}",
        BASE_URL + "static/../feedback_app/config.py",
        BASE_URL + "static/%2e%2e/pyproject.toml",
        BASE_URL + "static/css/missing.css",
        BASE_URL + "instance/keyring.json",
    ],
)
def test_everything_else_is_refused(app, url):
    with pytest.raises(RefusedFetch):
        static_only_fetcher()(url)


def test_rendering_never_touches_the_network(app, server):
    html = f"""<!doctype html><html><head>
      <link rel="stylesheet" href="{server}/remote.css">
      <link rel="stylesheet" href="/static/css/site.css">
      <style>@import url("{server}/imported.css"); @font-face {{ font-family: X; src: url("{server}/font.woff"); }}</style>
      </head><body><h1>Report</h1><img src="{server}/pixel.png"><img src="file:///etc/hostname"></body></html>"""
    with app.test_request_context():
        pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert CountingHandler.requests == []
