"""Access to comments: which coordinators can read survivors' words, giving it and taking it
away. Only a coordinator whose own access is unlocked in this session may change it (giving
access re-wraps their unlocked key for the other coordinator). Every change is audited,
without any words."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.access import current_account, role_required
from ..services.staff import narrative_access, narrative_sessions
from ..services.staff.errors import AccountError
from .access_forms import AccessChangeForm
from .blueprint import bp
from .words_gate import needs_words

STATE_LABELS = {
    "unlocked": _l("Can read comments"),
    "granted": _l("Access given: unlocks at their next sign-in"),
    "none": _l("No access"),
    "never_signed_in": _l("No access (has not signed in since comments were locked: they need to sign in once first)"),
}


@bp.get("/access")
@role_required("coordinator")
@needs_words
def access():
    me = current_account()
    return render_template(
        "coordinator/access.html",
        rows=narrative_access.coordinators(),
        me=me,
        labels=STATE_LABELS,
        form=AccessChangeForm(),
        has_keys=narrative_access.has_keys(),
    )


@bp.post("/access/grant")
@role_required("coordinator")
@needs_words
def grant_access():
    form = AccessChangeForm()
    grantee = narrative_access.coordinator(form.account.data) if form.validate_on_submit() else None
    if grantee is None:
        flash(_("That coordinator could not be found. Please try again."), "error")
        return redirect(url_for("coordinator.access"))
    try:
        narrative_access.grant_from_session(grantee, current_account())
    except AccountError as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s can read comments from their next sign-in.", name=grantee.display_name), "info")
    return redirect(url_for("coordinator.access"))


@bp.post("/access/revoke")
@role_required("coordinator")
@needs_words
def revoke_access():
    form = AccessChangeForm()
    grantee = narrative_access.coordinator(form.account.data) if form.validate_on_submit() else None
    if grantee is None or grantee.id == current_account().id:
        flash(_("That coordinator could not be found. Please try again."), "error")
        return redirect(url_for("coordinator.access"))
    narrative_access.revoke(grantee, current_account())
    narrative_sessions.forget_account(grantee.id)
    flash(_("%(name)s can no longer read comments.", name=grantee.display_name), "info")
    return redirect(url_for("coordinator.access"))
