"""Pages that show survivors' words (the coding queue, quotes) need the coordinator's
narrative key unlocked for this session. Without it they answer with a kind explanation of
why and what to do, a full page or, for htmx, the fragment in place of what was asked for
(never a bare 403)."""

from __future__ import annotations

from functools import wraps

from flask import make_response, render_template

from ..auth.access import current_account
from ..htmx import is_htmx
from ..services.staff import narrative_access


def words_unlocked() -> bool:
    return narrative_access.words_unlocked()


def locked_page():
    """The explanation, as a page (403) or, for htmx, a fragment it swaps in (200)."""
    state = narrative_access.access_of(current_account())
    if is_htmx():
        return make_response(render_template("coordinator/_words_locked.html", state=state), 200)
    return make_response(render_template("coordinator/words_locked.html", state=state), 403)


def needs_words(view):
    """Under ``role_required("coordinator")``: the view runs only with words unlocked."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not words_unlocked():
            return locked_page()
        return view(*args, **kwargs)

    return wrapped
