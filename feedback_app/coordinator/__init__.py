"""Coordinators' pages: the dashboard, themes and coding, quotes, the themed summary, exports."""

from . import coding_routes, exports_routes, quotes_routes, report_routes, routes, themes_routes  # noqa: F401  (each registers its views on ``bp``)
from .blueprint import bp

__all__ = ["bp"]
