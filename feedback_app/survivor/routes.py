"""Survivor-facing pages. Each view reads the request, calls one function, renders."""

from flask import abort, current_app, make_response, render_template, url_for

from ..auth.access import public
from ..extensions import csrf
from ..i18n import LANG_COOKIE
from ..page_cache import render_shared_page
from ..services.operations import legal_pages
from ..survey_pages.screens import SurveyContext, render_start, respond_to_screen
from ..surveys.registry import all_surveys, get_survey
from . import you_said as you_said_page
from .blueprint import bp


@bp.get("/")
@public
def landing():
    return render_shared_page("survivor/landing.html", surveys=all_surveys())


@bp.get("/staying-safe-online")
@public
def staying_safe():
    return render_shared_page("survivor/staying_safe.html")


@bp.get("/privacy")
@public
def privacy():
    return render_shared_page("survivor/privacy.html", notice=legal_pages.privacy_notice())


@bp.get("/accessibility")
@public
def accessibility():
    return render_shared_page("survivor/accessibility.html", facts=legal_pages.accessibility_statement())


@bp.get("/you-said-we-did")
@public
def you_said():
    # Not a shared page (page_cache): what it shows changes when a statement is published.
    return render_template("survivor/you_said.html", **you_said_page.page_context())


def online_context(survey) -> SurveyContext:
    return SurveyContext(
        action_url=url_for("survivor.screen", slug=survey.slug),
        start_url=url_for("survivor.before_you_start", slug=survey.slug),
    )


@bp.get("/s/<slug>")
@public
def before_you_start(slug: str):
    survey = get_survey(slug) or abort(404)
    return render_start(survey, online_context(survey))


@bp.post("/s/<slug>")
@public
@csrf.exempt  # checked in respond_to_screen, so that an expired token shows the answers again
def screen(slug: str):
    survey = get_survey(slug) or abort(404)
    return respond_to_screen(survey, online_context(survey))


@bp.post("/exit")
@public
@csrf.exempt
def exit_beacon():
    """Called (without waiting) by the quick exit: expire every cookie we set."""
    response = make_response("", 204)
    for name in (current_app.config["SESSION_COOKIE_NAME"], LANG_COOKIE):
        response.delete_cookie(name, httponly=True, samesite="Strict")
    return response
