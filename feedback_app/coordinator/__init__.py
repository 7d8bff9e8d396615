"""Coordinators' pages: the dashboard, the board summary, themes and coding, quotes, the themed summary, exports,
and “You said, we did” statements."""

from . import board_routes, coding_routes, exports_routes, quotes_routes, report_routes, routes, statements_routes, themes_routes  # noqa: F401  (each registers its views on ``bp``)
from .blueprint import bp

__all__ = ["bp"]
