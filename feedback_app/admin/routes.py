"""Staff accounts: list, create, deactivate and reactivate, reset a password or two-factor.

A temporary password is shown once, in the response to the request that made it, and is
never stored anywhere it could be shown again.
"""

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..auth.access import current_account, role_required
from ..services.staff import accounts
from ..services.staff.errors import AccountError
from .blueprint import bp
from .forms import CreateAccountForm


def _account_or_404(account_id: uuid.UUID):
    return accounts.get_account(account_id) or abort(404)


@bp.get("/")
@role_required("admin")
def accounts_list():
    return render_template("admin/accounts.html", accounts=accounts.list_accounts())


@bp.route("/accounts/new", methods=["GET", "POST"])
@role_required("admin")
def create_account():
    form = CreateAccountForm()
    if form.validate_on_submit():
        try:
            account, temporary = accounts.create_account(
                form.email.data, form.display_name.data, form.role.data, form.organisation.data, by=current_account()
            )
        except AccountError as error:
            form.email.errors.append(error.message)
        else:
            return render_template("admin/temporary_password.html", account=account, password=temporary, created=True)
    return render_template("admin/account_new.html", form=form)


@bp.get("/accounts/<uuid:account_id>")
@role_required("admin")
def account(account_id: uuid.UUID):
    return render_template("admin/account.html", account=_account_or_404(account_id), me=current_account())


def _act(account_id: uuid.UUID, change, done_message: str):
    target = _account_or_404(account_id)
    try:
        change(target, current_account())
    except AccountError as error:
        flash(error.message, "error")
    else:
        flash(done_message, "info")
    return redirect(url_for("admin.account", account_id=target.id))


@bp.post("/accounts/<uuid:account_id>/deactivate")
@role_required("admin")
def deactivate(account_id: uuid.UUID):
    return _act(
        account_id,
        accounts.deactivate,
        _("The account is deactivated. It cannot sign in, and any session it had has ended."),
    )


@bp.post("/accounts/<uuid:account_id>/reactivate")
@role_required("admin")
def reactivate(account_id: uuid.UUID):
    return _act(account_id, accounts.reactivate, _("The account is active again."))


@bp.post("/accounts/<uuid:account_id>/reset-two-factor")
@role_required("admin")
def reset_two_factor(account_id: uuid.UUID):
    return _act(
        account_id,
        accounts.reset_two_factor,
        _("Two-factor authentication is reset. They will set it up again when they next sign in."),
    )


@bp.post("/accounts/<uuid:account_id>/reset-password")
@role_required("admin")
def reset_password(account_id: uuid.UUID):
    target = _account_or_404(account_id)
    try:
        temporary = accounts.reset_password(target, current_account())
    except AccountError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.account", account_id=target.id))
    return render_template("admin/temporary_password.html", account=target, password=temporary, created=False)
