"""The ``coordinator`` blueprint object, imported by each routes module of the package."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")
