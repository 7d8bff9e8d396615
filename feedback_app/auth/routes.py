"""Signing in (email and password, then a two-factor code if the account has one) and out."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import limiter
from ..services.staff import accounts, narrative_sessions
from ..services.staff.accounts import SignIn
from . import staff_session
from .access import public
from .blueprint import bp
from .forms import CodeForm, SignInForm

# One budget for both steps, per (hashed) address: see security.rate_limit_key.
sign_in_limit = limiter.shared_limit(
    lambda: current_app.config["SIGN_IN_RATE_LIMIT"], scope="staff-sign-in", methods=["POST"]
)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@sign_in_limit
def login():
    if current_user.is_authenticated:
        return redirect(staff_session.next_step_url(current_user))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        result = accounts.authenticate(form.email.data, form.password.data)
        if result.outcome is SignIn.NEEDS_CODE:
            staff_session.begin_second_step(result.account)
            narrative_sessions.open_for(result.account, form.password.data)
            return redirect(url_for("auth.code"))
        if result.outcome is SignIn.SIGNED_IN:
            narrative_sessions.open_for(result.account, form.password.data)
            staff_session.start(result.account)
            return redirect(staff_session.next_step_url(result.account))
        failed = True
    return render_template("auth/sign_in.html", form=form, failed=failed)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@sign_in_limit
def code():
    account_id = staff_session.pending_account_id()
    if account_id is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    failed = False
    if form.validate_on_submit():
        result = accounts.complete_sign_in(account_id, form.code.data)
        if result.outcome is SignIn.SIGNED_IN:
            staff_session.start(result.account)
            return redirect(staff_session.next_step_url(result.account))
        failed = True
    return render_template("auth/code.html", form=form, failed=failed)


@bp.post("/sign-out")
@public  # signing out is always allowed, and harmless when not signed in
def logout():
    if current_user.is_authenticated:
        accounts.record_sign_out(current_user._get_current_object())
    staff_session.end()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
