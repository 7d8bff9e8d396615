"""The coding queue: one page of comments for a service (or "general", or all of them) and
question in a period, filtered (without a theme yet, or with one theme) and searched, with
themes assigned, suggestions accepted or rejected, English glosses, and one theme added to
many selected comments at once.

Each change is a plain form post that redirects back to the same queue page (so it works
without JavaScript); htmx posts the same forms and swaps in just the comment that changed,
and the progress line out of band. Adding a theme to many comments swaps in the whole
queue; a mistake there (nothing selected, no theme) shows the queue again with the boxes
still ticked.

The words searched for are never logged or audited: they are in the request only (and in
the page's address, on the coordinator's own screen).
"""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..auth.access import current_account, role_required
from ..htmx import is_htmx, render_page_or_partial
from ..services.insight import coding as coding_service
from ..services.insight import comments
from ..services.insight.comments import CommentError, CommentUnreadable
from .blueprint import bp
from .words_gate import needs_words
from .coding_forms import COMMENT_NOT_FOUND, BulkApplyForm, CodingChangeForm
from .presenters import CODING_HELPERS, bulk_message, comment_anchor
from .theme_forms import CodingQueueForm


@bp.get("/coding")
@role_required("coordinator")
@needs_words
def coding():
    return _queue(request.args)


def _queue(args, *, message: str | None = None, error: bool = False, checked=(), chosen_theme=None, status: int = 200):
    """The queue for ``args`` (the query string, or the queue's parameters posted back),
    with a message about a change to many comments (``message``), and the boxes that stay
    ticked and the theme that stays chosen after a mistake (``checked``, ``chosen_theme``)."""
    form = CodingQueueForm(args, today=date.today())
    form.resolve()
    listing = cards = None
    bulk_themes = []
    if form.source is not None:
        listing = comments.list_comments(
            form.source,
            form.chosen_period,
            only_uncoded=form.uncoded.data,
            theme_id=form.theme_id,
            search=form.search,
            page=form.page,
        )
        form.page = listing.page
        cards = coding_service.cards(listing.comments)
        bulk_themes = coding_service.themes_for(form.source)
    return render_page_or_partial(
        "coordinator/coding.html",
        "coordinator/_coding_queue.html",
        status=status,
        form=form,
        listing=listing,
        cards=cards,
        themes_available=bool(bulk_themes),
        bulk_themes=bulk_themes,
        queue_args=form.query_args(),
        search=form.search,
        mixed=bool(form.source and form.source.mixed),
        bulk_message=message,
        bulk_error=error,
        checked=set(checked),
        chosen_theme=chosen_theme,
        search_limits={"opened": comments.SEARCH_OPEN_LIMIT, "matched": comments.SEARCH_MATCH_LIMIT},
        **CODING_HELPERS,
    )


def _back(form: CodingChangeForm, response_id: uuid.UUID | None = None, field: str | None = None):
    url = url_for("coordinator.coding", **form.queue_args)
    if response_id is not None and field:
        url += "#" + comment_anchor(response_id, field)
    return redirect(url)


def _progress(form: CodingChangeForm) -> dict:
    """The queue's progress after a change, for htmx to update in place."""
    queue = CodingQueueForm(form.queue_args, today=date.today())
    queue.resolve()
    total = form.total_count
    if queue.source is None or total is None:
        return {}
    return {"coded": min(comments.coded_count(queue.source, queue.chosen_period), total), "total": total}


def _done(form: CodingChangeForm, message: str, error: bool = False):
    """After a change: htmx gets the comment's block again; a plain post goes back to the queue."""
    response_id, field = form.comment
    if not is_htmx():
        flash(message, "error" if error else "info")
        return _back(form, response_id, field)
    try:
        card = coding_service.card(response_id, field)
    except (CommentError, CommentUnreadable):
        return render_template("coordinator/_coding_missing.html", message=message if error else str(COMMENT_NOT_FOUND))
    return render_template(
        "coordinator/_coding_comment.html",
        card=card,
        message=message,
        error=error,
        queue_args=form.queue_args,
        total=form.total.data or "",
        progress=_progress(form),
        typed_gloss=form.gloss.data if error else None,
        search=form.search,
        mixed=form.mixed,
        selectable=bool(card.unassigned or card.codings),
        checked=(),
        **CODING_HELPERS,
    )


def _act(change, done_message, *, with_theme: bool = True):
    """One change to one comment, as posted: ``change(form)`` makes it through the service,
    ``done_message(result)`` says what was done."""
    form = CodingChangeForm(request.form, with_theme=with_theme)
    form.validate()
    if form.comment_problem:
        if is_htmx():
            return render_template("coordinator/_coding_missing.html", message=form.comment_problem)
        flash(form.comment_problem, "error")
        return _back(form)
    if form.theme_problem:
        return _done(form, form.theme_problem, True)
    try:
        result = change(form)
    except CommentUnreadable:
        return _done(form, _("This comment could not be opened, so it cannot be changed."), True)
    except CommentError as problem:
        return _done(form, str(problem.message), True)
    return _done(form, done_message(result))


@bp.post("/coding/assign")
@role_required("coordinator")
@needs_words
def coding_assign():
    return _act(
        lambda form: coding_service.assign(*form.comment, form.theme_id.data, current_account()),
        lambda theme: _("Theme “%(name)s” added.", name=theme.name),
    )


@bp.post("/coding/unassign")
@role_required("coordinator")
@needs_words
def coding_unassign():
    return _act(
        lambda form: coding_service.unassign(*form.comment, form.theme_id.data),
        lambda theme: _("Theme “%(name)s” removed.", name=theme.name) if theme else _("Theme removed."),
    )


@bp.post("/coding/accept")
@role_required("coordinator")
@needs_words
def coding_accept():
    return _act(
        lambda form: coding_service.accept(*form.comment, form.theme_id.data, current_account()),
        lambda theme: _("Suggestion accepted: theme “%(name)s” added.", name=theme.name),
    )


@bp.post("/coding/reject")
@role_required("coordinator")
@needs_words
def coding_reject():
    return _act(
        lambda form: coding_service.reject(*form.comment, form.theme_id.data),
        lambda theme: _(
            "Suggestion “%(name)s” rejected. It will not be suggested for this comment again.", name=theme.name
        ),
    )


@bp.post("/coding/gloss")
@role_required("coordinator")
@needs_words
def coding_gloss():
    def save(form: CodingChangeForm) -> bool:
        coding_service.find(*form.comment)
        return comments.save_gloss(*form.comment, form.gloss_text)

    return _act(
        save,
        lambda stored: _("The English gloss is saved.") if stored else _("The English gloss is cleared."),
        with_theme=False,
    )


@bp.post("/coding/apply")
@role_required("coordinator")
@needs_words
def coding_apply():
    """Add one theme to every selected comment it fits, in one transaction."""
    form = BulkApplyForm(request.form)
    form.validate()
    args = MultiDict(form.queue_args)
    try:
        if form.theme_problem:
            raise CommentError(form.theme_problem)
        result = coding_service.assign_many(form.keys, form.theme_id.data, current_account())
    except CommentError as problem:
        return _queue(
            args, message=str(problem.message), error=True, checked=form.selected, chosen_theme=form.theme_id.data
        )
    message = bulk_message(result)
    if not is_htmx():
        flash(message, "info")
        return redirect(url_for("coordinator.coding", **form.queue_args))
    return _queue(args, message=message)
