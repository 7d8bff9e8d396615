"""Admins' pages: staff accounts, the audit log and the raw export."""

from . import audit_routes, export_routes, routes  # noqa: F401  (each registers its views on ``bp``)
from .blueprint import bp

__all__ = ["bp"]
