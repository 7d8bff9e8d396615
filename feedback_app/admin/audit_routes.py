"""The audit log, newest first, with filters. (Reading the log is not itself logged.)"""

import uuid

from flask import render_template, request
from wtforms import SelectChoice

from ..auth.access import role_required
from ..services.staff import accounts, audit
from .blueprint import bp
from .forms import ANY_ACCOUNT, ANY_ACTION, AuditFilterForm


def _account_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", ANY_ACTION)] + [
        SelectChoice(code, label) for code, label in audit.ACTIONS.items()
    ]
    form.account.choices = [SelectChoice("", ANY_ACCOUNT)] + [
        SelectChoice(str(a.id), f"{a.display_name} ({a.email})") for a in accounts.list_accounts()
    ]
    form.validate()  # a date that does not parse is shown as an error and ignored
    return form


@bp.get("/audit")
@role_required("admin")
def audit_log():
    form = _filter_form()
    filters = audit.AuditFilters(
        action=form.action.data if form.action.data in audit.ACTIONS else None,
        account_id=_account_id(form.account.data),
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )
    result = audit.list_events(filters, page=request.args.get("page", 1, type=int))
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("admin/audit.html", form=form, result=result, query=query, action_label=audit.action_label)
