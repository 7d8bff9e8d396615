"""Forms for managing accounts and filtering the audit log."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, Form, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.access import ROLE_LABELS
from ..services.staff.accounts import FIELD_MAX_LENGTH


class CreateAccountForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ("worker", "coordinator", "admin")],
        validators=[DataRequired(_l("Choose a role."))],
    )
    display_name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter their name.")), Length(max=FIELD_MAX_LENGTH)]
    )
    email = EmailField(
        _l("Email address"),
        description=_l("Their work email address. They sign in with it."),
        validators=[DataRequired(_l("Enter their email address.")), Length(max=254)],
    )
    organisation = StringField(
        _l("Organisation"),
        description=_l("The service they work for, as it should appear on assisted evaluations."),
        validators=[DataRequired(_l("Enter their organisation.")), Length(max=FIELD_MAX_LENGTH)],
    )


class AuditFilterForm(Form):
    """Read from the query string (a GET form: nothing changes, so no CSRF token)."""

    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=False)
    account = SelectField(_l("Account"), validators=[Optional()], validate_choice=False)
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("To (date)"), validators=[Optional()])


ANY_ACTION = _l("Any action")
ANY_ACCOUNT = _l("Any account")
