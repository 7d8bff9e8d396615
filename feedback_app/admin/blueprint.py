"""The ``admin`` blueprint object, imported by each routes module of the package."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
