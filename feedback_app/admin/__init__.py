"""Admins' pages: staff accounts and the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit_routes, export_routes, routes  # noqa: E402,F401
