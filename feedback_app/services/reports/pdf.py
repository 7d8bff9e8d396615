"""HTML to PDF with WeasyPrint, without ever touching the network.

WeasyPrint fetches stylesheets and images through a URL fetcher. Ours serves only the
site's own static files (from the static folder on disk) under a base URL that points
nowhere, and refuses everything else: no http(s), no file: paths outside the static folder,
no data: URLs. Fonts come from the machine (DejaVu, installed by ``scripts/setup``).
"""

from __future__ import annotations

import logging
import mimetypes
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from werkzeug.security import safe_join

logger = logging.getLogger("feedback_app.pdf")

# Pages are rendered as if served from here; nothing is ever fetched from it.
BASE_URL = "http://pdf.invalid/"


class RefusedFetch(ValueError):
    """A document asked for something that is not one of our static files."""


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves ``<BASE_URL><static url path>/...`` from the static folder; refuses the rest."""

        def __init__(self, static_folder: str, static_url_path: str) -> None:
            super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
            self.static_folder = static_folder
            self.prefix = BASE_URL + static_url_path.strip("/") + "/"

        def fetch(self, url, headers=None):
            path = self.local_path(url)
            if path is None:
                logger.warning("PDF: refused to fetch %s", url.split("?")[0][:200])
                raise RefusedFetch(f"only the site's own static files may be used: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

        def open(self, url, data=None, timeout=None):  # never urllib
            return self.fetch(url if isinstance(url, str) else url.full_url)

        def local_path(self, url: str) -> Path | None:
            if not url.startswith(self.prefix):
                return None
            relative = url[len(self.prefix) :].split("?")[0].split("#")[0]
            joined = safe_join(self.static_folder, relative) if relative else None
            if joined is None or not Path(joined).is_file():
                return None
            return Path(joined)

    return StaticOnlyFetcher


def static_only_fetcher():
    """A fetcher for the current app's static files only."""
    app = current_app
    return _fetcher_class()(app.static_folder, app.static_url_path or "/static")


def html_to_pdf(html: str) -> bytes:
    """The PDF of a page rendered from our own templates."""
    from weasyprint import HTML

    with _quiet_css_warnings():
        return HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()).write_pdf()


@contextmanager
def _quiet_css_warnings():
    """WeasyPrint warns about every screen-only CSS feature of the site's stylesheet; keep
    its errors, and our own warnings about refused fetches."""
    weasy = logging.getLogger("weasyprint")
    level = weasy.level
    weasy.setLevel(logging.ERROR)
    try:
        yield
    finally:
        weasy.setLevel(level)
