"""Kind error pages that reveal nothing about the system."""

from __future__ import annotations

import logging
import traceback

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .crypto import CryptoError

logger = logging.getLogger("feedback_app.errors")

PAGES = {400: "400", 403: "403", 404: "404", 405: "400", 413: "413", 429: "429", 500: "500"}


def _render(status: int):
    page = PAGES.get(status, "500" if status >= 500 else "400")
    return render_template(f"errors/{page}.html", status=status), status


def handle_http_error(error: HTTPException):
    return _render(error.code or 500)


def describe(error: BaseException) -> str:
    """Where an error came from, to diagnose it: its type, and for it and each exception it
    was raised from or during, every frame's file, line, function and line of code.

    Never the exception's message, local variables, the request's body, query string or the
    client's address: any of them can hold what a survivor typed or who they are."""
    parts = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' + (f"\n    {f.line}" if f.line else "") for f in frames]
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}\n" + "\n".join(lines))
        current = current.__cause__ or current.__context__
    return "\n-- while handling or raised from --\n".join(parts)


def handle_unexpected(error: Exception):
    original = getattr(error, "original_exception", None) or error  # InternalServerError wraps it
    logger.error("unhandled error (message left out):\n%s", describe(original))
    return _render(500)


def handle_crypto_error(error: CryptoError):
    """A last resort: services turn a value that does not open into their own outcome
    (``store.Unreadable``, a kind message), so this catches only one that slipped through."""
    logger.error("a sealed value did not open: %s", type(error).__name__)
    return _render(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, handle_http_error)
    app.register_error_handler(CryptoError, handle_crypto_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
