"""The support worker's 1:1 evaluation mode, for tablets."""

from flask import Blueprint

bp = Blueprint("worker", __name__, url_prefix="/worker")

from . import routes  # noqa: E402,F401
