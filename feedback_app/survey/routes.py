"""Survivor-facing pages."""

from flask import current_app, make_response, render_template

from ..extensions import csrf
from ..i18n import LANG_COOKIE
from . import bp


@bp.get("/")
def landing():
    return render_template("survey/landing.html")


@bp.get("/staying-safe-online")
def staying_safe():
    return render_template("survey/staying_safe.html")


@bp.post("/exit")
@csrf.exempt
def exit_beacon():
    """Called (without waiting) by the quick exit: expire every cookie we set."""
    response = make_response("", 204)
    for name in (current_app.config["SESSION_COOKIE_NAME"], LANG_COOKIE):
        response.delete_cookie(name, httponly=True, samesite="Strict")
    return response
