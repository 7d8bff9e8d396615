"""The coordinator's home page (a placeholder until the dashboard is built)."""

from flask import render_template

from ..security import role_required
from . import bp


@bp.get("/")
@role_required("coordinator")
def home():
    return render_template("coordinator/home.html")
