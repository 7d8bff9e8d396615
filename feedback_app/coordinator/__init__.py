"""Coordinators' pages: the dashboard, themes and coding, quotes, the themed summary and its
commentary, exports, and “You said, we did” statements."""

from . import coding_routes, commentary_routes, exports_routes, quotes_routes, report_routes, routes, statements_routes, themes_routes  # noqa: F401  (each registers its views on ``bp``)
from .blueprint import bp

__all__ = ["bp"]
