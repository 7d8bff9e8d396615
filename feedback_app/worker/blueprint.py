"""The ``worker`` blueprint object, imported by each routes module of the package."""

from flask import Blueprint

bp = Blueprint("worker", __name__, url_prefix="/worker")
