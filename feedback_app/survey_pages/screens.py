"""Answering one posted survey screen; shared by the public survey and the worker's 1:1 mode."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

from ..htmx import is_htmx, render_page_or_partial
from ..i18n import LANG_FIELD
from ..page_cache import render_shared_page
from ..services.responses.submissions import submit_answers
from ..surveys import Survey
from . import journey


@dataclass(frozen=True)
class SurveyContext:
    """Where the survey's forms post, and what a finished survey is stored as."""

    action_url: str
    start_url: str  # a GET address of the "before you start" page (its language links use it)
    collection_mode: str = "online"
    organisation: str | None = None
    hidden: tuple[tuple[str, str], ...] = ()  # extra hidden fields, e.g. the evaluation ticket
    evaluation: str | None = None  # a worker's signed ticket: submissions are limited per ticket
    handover: bool = False  # a survivor holds the worker's tablet
    idle_seconds: int | None = None  # on a worker's tablet: lock after this long untouched


def render_start(survey: Survey, context: SurveyContext, **extra):
    return render_template("survey/start.html", survey=survey, context=context, **extra)


def _csrf_ok() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return False
    return True


def respond_to_screen(survey: Survey, context: SurveyContext):
    """Read the posted screen, store the answers if they were sent, render the next screen."""
    notice = None
    if not _csrf_ok():
        # Show the same screen again with a fresh token: nothing lost, nothing stored.
        if not request.form.get(journey.SCREEN_FIELD):
            return render_start(survey, context, expired=True)
        notice = journey.SESSION_EXPIRED
    screen = journey.advance(survey, request.form, notice=notice, stay=LANG_FIELD in request.form)
    if screen.kind == "done":
        outcome = submit_answers(
            survey_slug=survey.slug,
            survey_version=survey.version,
            answers=screen.answers,
            submission_token=screen.token,
            language=str(get_locale()),
            bot=journey.is_bot(request.form),
            collection_mode=context.collection_mode,
            organisation=context.organisation,
            evaluation=context.evaluation,
        )
        screen = journey.after_submit(screen, outcome)
        if screen.notice == journey.NOT_SENT_YET:
            # 503 so that nothing mistakes it for success; htmx is told to show it anyway.
            return render_page_or_partial(
                "survey/screen.html", "survey/_screen.html", status=503, screen=screen, context=context
            )
    if LANG_FIELD in request.form:
        # A language switch re-renders the whole page, so the header and footer change too.
        return render_template("survey/screen.html", screen=screen, context=context)
    if screen.kind == "done" and context.collection_mode == "online":
        # The thank-you page is the same for everyone who answered online, in one language.
        template = "survey/_screen.html" if is_htmx() else "survey/screen.html"
        response = make_response(render_shared_page(template, screen=screen, context=context))
        response.vary.add("HX-Request")
        return response
    return render_page_or_partial("survey/screen.html", "survey/_screen.html", screen=screen, context=context)
