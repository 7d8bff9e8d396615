"""Coordinators' pages: the dashboard, themes and coding, quotes, the themed summary, exports."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")

from . import exports_routes, quotes_routes, report_routes, routes, themes_routes  # noqa: E402,F401
