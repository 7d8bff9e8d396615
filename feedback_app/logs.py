"""Logging that never records addresses, user agents, query strings or bodies.

The development server's own request log (which starts with the client's address) is
silenced; one line per request is written here instead, with the method, the path
without its query string, the status and the time taken.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, g, request
from werkzeug.wrappers import Response

logger = logging.getLogger("feedback_app.requests")


def init_app(app: Flask) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(levelname)s %(name)s: %(message)s")
    logger.setLevel(app.config["LOG_LEVEL"])

    if not app.config["LOG_REQUESTS"]:
        return

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        if not request.path.startswith("/static/"):
            elapsed_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
            logger.info("%s %s %s %.1fms", request.method, request.path, response.status_code, elapsed_ms)
        return response
