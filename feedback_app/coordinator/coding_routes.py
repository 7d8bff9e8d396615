"""The coding queue: one page of comments for a service (or "general") and question in a
period, with themes assigned, suggestions accepted or rejected, and English glosses.

Each change is a plain form post that redirects back to the same queue page (so it works
without JavaScript); htmx posts the same forms and swaps in just the comment that changed,
and the progress line out of band.
"""

from __future__ import annotations

import uuid
from datetime import date

from babel import Locale
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..htmx import is_htmx, render_page_or_partial
from ..auth.access import current_account, role_required
from ..services.insight import coding as coding_service
from ..services.insight import comments
from ..services.insight import themes as codebook
from ..services.insight.comments import CommentError, CommentUnreadable
from .blueprint import bp
from .theme_forms import CodingQueueForm, queue_args_from

FIELD_MAX_LENGTH = 80


def language_label(code: str) -> str:
    """A language's name in the page's language ("Polish"), or the code if unknown."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, TypeError):
        return code


def anchor(response_id: uuid.UUID, field: str) -> str:
    return f"comment-{response_id.hex}-{field.replace('.', '-')}"


HELPERS = {"language_label": language_label, "comment_anchor": anchor}


@bp.get("/coding")
@role_required("coordinator")
def coding():
    form = CodingQueueForm(request.args, today=date.today())
    form.resolve()
    listing = cards = None
    if form.source is not None:
        listing = comments.list_comments(
            form.source, form.chosen_period, only_uncoded=form.uncoded.data, page=form.page
        )
        form.page = listing.page
        cards = coding_service.cards(listing.comments, form.source)
    return render_page_or_partial(
        "coordinator/coding.html",
        "coordinator/_coding_queue.html",
        form=form,
        listing=listing,
        cards=cards,
        themes_available=bool(
            form.source and codebook.applicable_themes(form.source.service, form.source.question.kinds)
        ),
        queue_args=form.query_args(),
        **HELPERS,
    )


def _target() -> tuple[uuid.UUID, str]:
    try:
        response_id = uuid.UUID(request.form.get("response_id", ""))
    except ValueError:
        raise CommentError(_("That comment could not be found. It may have been removed.")) from None
    field = request.form.get("field", "")
    if not field or len(field) > FIELD_MAX_LENGTH:
        raise CommentError(_("That comment could not be found. It may have been removed."))
    return response_id, field


def _theme_id() -> int:
    try:
        return int(request.form.get("theme_id", ""))
    except ValueError:
        raise CommentError(_("Choose a theme from the list.")) from None


def _back(response_id: uuid.UUID | None = None, field: str | None = None):
    url = url_for("coordinator.coding", **queue_args_from(request.form))
    if response_id is not None and field:
        url += "#" + anchor(response_id, field)
    return redirect(url)


def _progress() -> dict:
    """The queue's progress after a change, for htmx to update in place."""
    form = CodingQueueForm(queue_args_from(request.form), today=date.today())
    form.resolve()
    if form.source is None:
        return {}
    try:
        total = max(0, int(request.form.get("total", "")))
    except ValueError:
        return {}
    return {"coded": min(comments.coded_count(form.source, form.chosen_period), total), "total": total}


def _done(response_id: uuid.UUID, field: str, message: str, error: bool = False):
    """After a change: htmx gets the comment's block again; a plain post goes back to the queue."""
    if not is_htmx():
        flash(message, "error" if error else "info")
        return _back(response_id, field)
    try:
        card = coding_service.card(response_id, field)
    except (CommentError, CommentUnreadable):
        gone = _("That comment could not be found. It may have been removed.")
        return render_template("coordinator/_coding_missing.html", message=message if error else gone)
    return render_template(
        "coordinator/_coding_comment.html",
        card=card,
        message=message,
        error=error,
        queue_args=queue_args_from(request.form),
        total=request.form.get("total", ""),
        progress=_progress(),
        typed_gloss=request.form.get("gloss") if error else None,
        **HELPERS,
    )


def _act(change, done_message):
    try:
        response_id, field = _target()
    except CommentError as problem:
        if is_htmx():
            return render_template("coordinator/_coding_missing.html", message=problem.message)
        flash(problem.message, "error")
        return _back()
    try:
        result = change(response_id, field)
    except CommentUnreadable:
        return _done(response_id, field, _("This comment could not be opened, so it cannot be changed."), True)
    except CommentError as problem:
        return _done(response_id, field, str(problem.message), True)
    return _done(response_id, field, done_message(result))


@bp.post("/coding/assign")
@role_required("coordinator")
def coding_assign():
    return _act(
        lambda rid, field: coding_service.assign(rid, field, _theme_id(), current_account()),
        lambda theme: _("Theme “%(name)s” added.", name=theme.name),
    )


@bp.post("/coding/unassign")
@role_required("coordinator")
def coding_unassign():
    return _act(
        lambda rid, field: coding_service.unassign(rid, field, _theme_id()),
        lambda theme: _("Theme “%(name)s” removed.", name=theme.name) if theme else _("Theme removed."),
    )


@bp.post("/coding/accept")
@role_required("coordinator")
def coding_accept():
    return _act(
        lambda rid, field: coding_service.accept(rid, field, _theme_id(), current_account()),
        lambda theme: _("Suggestion accepted: theme “%(name)s” added.", name=theme.name),
    )


@bp.post("/coding/reject")
@role_required("coordinator")
def coding_reject():
    return _act(
        lambda rid, field: coding_service.reject(rid, field, _theme_id()),
        lambda theme: _(
            "Suggestion “%(name)s” rejected. It will not be suggested for this comment again.", name=theme.name
        ),
    )


@bp.post("/coding/gloss")
@role_required("coordinator")
def coding_gloss():
    def save(response_id, field):
        coding_service.find(response_id, field)
        text = "" if request.form.get("clear") else request.form.get("gloss", "")
        return comments.save_gloss(response_id, field, text)

    return _act(save, lambda stored: _("The English gloss is saved.") if stored else _("The English gloss is cleared."))

