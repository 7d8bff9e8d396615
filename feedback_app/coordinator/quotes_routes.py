"""Quotes: proposing a comment, redacting it, approving it.

The list shows only the redacted wording; the survivor's original comment is shown on a
quote's own review page, and nowhere else.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.access import current_account, role_required
from ..services.insight import quotes as quote_service
from ..services.insight import redaction
from ..services.staff import narrative_access
from .blueprint import bp
from .words_gate import needs_words, words_unlocked
from .quote_forms import KIND_LABELS, STATUS_LABELS, ProposeQuoteForm, QuoteFilterForm, QuoteForm, WithdrawQuoteForm


def _quote_or_404(quote_id: uuid.UUID):
    return quote_service.get_quote(quote_id) or abort(404)


def _back(candidate: str | None) -> str:
    """Where to return after a proposal that could not be made: the page it came from when
    that is one of our coordinator pages, else the quotes list."""
    for url in (candidate, request.referrer):
        if not url:
            continue
        parts = urlsplit(url)
        same_site = not parts.scheme and not parts.netloc or parts.netloc == request.host
        if same_site and parts.path.startswith("/coordinator/") and "\\" not in url:
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("coordinator.quotes")


@bp.get("/quotes")
@role_required("coordinator")
def quotes():
    """Every quote with words unlocked; without, the approved ones only (sealed with the
    keyring: they are meant for reports) and why the rest are locked."""
    form = QuoteFilterForm(request.args)
    unlocked = words_unlocked()
    status = form.chosen_status() if unlocked else "approved"
    return render_template(
        "coordinator/quotes.html",
        form=form,
        status=status,
        rows=quote_service.list_quotes(status),
        status_labels=STATUS_LABELS,
        locked_state=None if unlocked else narrative_access.access_of(current_account()),
    )


@bp.post("/quotes/propose")
@role_required("coordinator")
@needs_words
def propose_quote():
    form = ProposeQuoteForm()
    back = _back(form.next.data)
    if not form.validate_on_submit():
        flash(_("The page had expired. Please try again."), "error")
        return redirect(back)
    try:
        quote, created = quote_service.propose(form.response_id.data, form.field.data or "", by=current_account())
    except quote_service.QuoteError as error:
        flash(str(error.message), "error")
        return redirect(back)
    if created:
        flash(_("The comment is proposed as a quote. Check the suggested redactions, then approve it."), "info")
    elif quote.status == "withdrawn":
        flash(_("This comment was proposed before and withdrawn. Save a draft to propose it again."), "info")
    else:
        flash(_("This comment is already a quote. Here it is."), "info")
    return redirect(url_for("coordinator.quote", quote_id=quote.id))


def _render_review(quote, form: QuoteForm, findings=None, status: int = 200):
    try:
        comment = quote_service.comment_of(quote)
        problem = None
    except quote_service.QuoteError as error:
        comment, problem = None, error.message
    suggestions = redaction.suggest(comment.text) if comment is not None else []
    return (
        render_template(
            "coordinator/quote.html",
            quote=quote,
            comment=comment,
            problem=problem,
            suggestions=suggestions,
            findings=findings,
            form=form,
            withdraw_form=WithdrawQuoteForm(),
            kind_labels=KIND_LABELS,
            status_labels=STATUS_LABELS,
            proposed_by=quote_service.person(quote.proposed_by),
            approved_by=quote_service.person(quote.approved_by),
        ),
        status,
    )


@bp.get("/quotes/<uuid:quote_id>")
@role_required("coordinator")
@needs_words
def quote(quote_id: uuid.UUID):
    quote = _quote_or_404(quote_id)
    form = QuoteForm()
    try:
        form.text.data = quote_service.quote_text(quote)
    except quote_service.Unreadable:
        form.text.errors = [_("The saved wording could not be opened. Write it again from the original comment.")]
    return _render_review(quote, form)


@bp.post("/quotes/<uuid:quote_id>")
@role_required("coordinator")
@needs_words
def update_quote(quote_id: uuid.UUID):
    quote = _quote_or_404(quote_id)
    form = QuoteForm()
    if not form.validate_on_submit():
        form.text.errors = [_("The page had expired. Please try again.")]
        return _render_review(quote, form, status=400)
    action = request.form.get("action")
    try:
        if action == "approve":
            confirmed = form.findings.data if form.approve_anyway.data else None
            quote_service.approve(quote, form.text.data, current_account(), confirmed_token=confirmed)
            flash(_("The quote is approved. It can now appear in reports."), "info")
        elif action == "save":
            quote_service.save_draft(quote, form.text.data, current_account())
            flash(_("The draft is saved. It will not appear in reports until it is approved."), "info")
        else:
            abort(400)
    except quote_service.QuoteError as error:
        form.text.errors = [str(error.message)]
        return _render_review(quote, form, status=400)
    except quote_service.NeedsConfirmation as warning:
        form.findings.data = warning.token
        form.approve_anyway.data = False
        return _render_review(quote, form, findings=warning.findings, status=200)
    return redirect(url_for("coordinator.quote", quote_id=quote.id))


@bp.post("/quotes/<uuid:quote_id>/withdraw")
@role_required("coordinator")
@needs_words
def withdraw_quote(quote_id: uuid.UUID):
    quote = _quote_or_404(quote_id)
    form = WithdrawQuoteForm()
    if not form.validate_on_submit():
        flash(_("The page had expired. Please try again."), "error")
    else:
        try:
            quote_service.withdraw(quote, current_account())
        except quote_service.QuoteError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The quote is withdrawn. It will never appear in reports."), "info")
    return redirect(url_for("coordinator.quote", quote_id=quote.id))
