"""Coordinators' pages: the dashboard, the board summary, themes and coding, quotes, the themed
summary and its commentary, exports, “You said, we did” statements, and who has access to
survivors' words."""

from . import (  # noqa: F401  (each registers its views on ``bp``)
    access_routes,
    board_routes,
    coding_routes,
    commentary_routes,
    exports_routes,
    quotes_routes,
    report_routes,
    routes,
    statements_routes,
    themes_routes,
)
from .blueprint import bp

__all__ = ["bp"]
