"""One URL serves a full page, or just the fragment htmx asked for."""

from __future__ import annotations

from flask import make_response, render_template, request
from werkzeug.wrappers import Response


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def render_page_or_partial(page: str, partial: str, status: int = 200, **context) -> Response:
    """Render ``partial`` for htmx requests and ``page`` (which includes it) otherwise."""
    template = partial if is_htmx() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response
