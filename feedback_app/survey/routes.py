"""Survivor-facing pages. Each view reads the request, calls one function, renders."""

from flask import abort, current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

from ..extensions import csrf
from ..htmx import render_page_or_partial
from ..i18n import LANG_COOKIE, LANG_FIELD
from ..services.submissions import submit_answers
from ..services.surveys import all_surveys, get_survey
from ..security import public
from . import bp, journey


@bp.get("/")
@public
def landing():
    return render_template("survey/landing.html", surveys=all_surveys())


@bp.get("/staying-safe-online")
@public
def staying_safe():
    return render_template("survey/staying_safe.html")


@bp.get("/s/<slug>")
@public
def before_you_start(slug: str):
    survey = get_survey(slug) or abort(404)
    return render_template("survey/start.html", survey=survey)


@bp.post("/s/<slug>")
@public
@csrf.exempt  # checked here instead, so that an expired token shows the answers again
def screen(slug: str):
    survey = get_survey(slug) or abort(404)
    notice = None
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.form.get("csrf_token"))
        except (ValidationError, CSRFError):
            # Show the same screen again with a fresh token; nothing is lost, nothing stored.
            notice = journey.SESSION_EXPIRED if request.form.get(journey.SCREEN_FIELD) else None
            if notice is None:
                return render_template("survey/start.html", survey=survey, expired=True)
    screen = journey.advance(survey, request.form, notice=notice, stay=LANG_FIELD in request.form)
    if screen.kind == "done":
        outcome = submit_answers(
            survey_slug=survey.slug,
            survey_version=survey.version,
            answers=screen.answers,
            submission_token=screen.token,
            language=str(get_locale()),
            bot=journey.is_bot(request.form),
        )
        screen = journey.after_submit(screen, outcome)
    if LANG_FIELD in request.form:
        # A language switch re-renders the whole page, so the header and footer change too.
        return render_template("survey/screen.html", screen=screen)
    return render_page_or_partial("survey/screen.html", "survey/_screen.html", screen=screen)


@bp.post("/exit")
@public
@csrf.exempt
def exit_beacon():
    """Called (without waiting) by the quick exit: expire every cookie we set."""
    response = make_response("", 204)
    for name in (current_app.config["SESSION_COOKIE_NAME"], LANG_COOKIE):
        response.delete_cookie(name, httponly=True, samesite="Strict")
    return response
