"""Coordinators' pages: dashboards, themes, quotes and exports (to come)."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")

from . import routes  # noqa: E402,F401
