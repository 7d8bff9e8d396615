"""Forms for quotes: propose a comment, edit and approve the wording, withdraw, filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, HiddenField, SelectChoice, SelectField, TextAreaField

STATUS_LABELS = {
    "proposed": _l("Proposed (draft)"),
    "approved": _l("Approved"),
    "withdrawn": _l("Withdrawn"),
}
KIND_LABELS = {
    "name": _l("Name"),
    "phone": _l("Phone number"),
    "email": _l("Email address"),
    "postcode": _l("Postcode"),
    "address": _l("Street address"),
    "date": _l("Date"),
    "age": _l("Age"),
    "school": _l("School"),
    "workplace": _l("Workplace"),
}


class ProposeQuoteForm(FlaskForm):
    """Sent from the coding queue: which comment to quote, and where to come back to."""

    response_id = HiddenField()
    field = HiddenField()
    next = HiddenField()


class QuoteForm(FlaskForm):
    text = TextAreaField(
        _l("Wording for reports"),
        description=_l(
            "This is what a report will show. Replace anything that could identify someone "
            "with a word in square brackets, such as [name] or [town]."
        ),
    )
    approve_anyway = BooleanField(_l("I have checked: approve this wording anyway"))
    # The fingerprint of the findings the coordinator was warned about (see services.insight.quotes).
    findings = HiddenField()


class WithdrawQuoteForm(FlaskForm):
    """Only the CSRF token."""


class QuoteFilterForm(Form):
    """A GET form (nothing changes, so no CSRF token)."""

    status = SelectField(_l("Status"), validate_choice=False)

    def __init__(self, args) -> None:
        super().__init__(args)
        self.status.choices = [SelectChoice("", _l("Every status"))] + [
            SelectChoice(value, label) for value, label in STATUS_LABELS.items()
        ]

    def chosen_status(self) -> str | None:
        status = (self.status.data or "").strip()
        if status and status not in STATUS_LABELS:
            self.status.errors = [str(_l("Choose one of the options."))]
            return None
        return status or None
