"""A staff member's own account: the account page, changing the password, two-factor set-up."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from ..models import ROLES
from ..services.staff import accounts, two_factor
from ..services.staff.errors import AccountError
from . import staff_session
from .access import current_account, role_required
from .blueprint import bp
from .qr_code import qr_svg
from .forms import ChangePasswordForm, ConfirmCodeForm


def _pin_url() -> str | None:
    try:
        return url_for("worker.set_pin")
    except BuildError:
        return None


@bp.get("/account")
@role_required(*ROLES)
def account():
    me = current_account()
    return render_template(
        "auth/account.html",
        account=me,
        recovery_codes_left=two_factor.recovery_codes_left(me),
        pin_url=_pin_url() if me.role == "worker" else None,
        home_url=staff_session.home_url(me),
    )


@bp.route("/password", methods=["GET", "POST"])
@role_required(*ROLES)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        me = current_account()
        try:
            accounts.change_password(me, form.current.data, form.new.data)
        except AccountError as error:
            form.current.errors.append(error.message)
        else:
            staff_session.refresh(me)
            flash(_("Your password is changed. Any other place you were signed in has been signed out."), "info")
            return redirect(staff_session.next_step_url(me))
    return render_template("auth/change_password.html", form=form, forced=current_account().must_change_password)


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@role_required(*ROLES)
def two_factor_setup():
    me = current_account()
    if me.totp_enabled:
        flash(_("Two-factor authentication is already on for your account."), "info")
        return redirect(url_for("auth.account"))
    form = ConfirmCodeForm()
    if form.validate_on_submit():
        codes = two_factor.confirm_enrolment(me, form.code.data)
        if codes:
            return render_template("auth/recovery_codes.html", codes=codes, home_url=staff_session.home_url(me))
        form.code.errors.append(
            _("That code did not work. Check the time on your phone is right, and enter the newest code.")
        )
    enrolment = two_factor.start_enrolment(me)
    qr = qr_svg(enrolment.uri, _("QR code for your authenticator app"))
    return render_template("auth/two_factor_setup.html", form=form, enrolment=enrolment, qr=qr)
