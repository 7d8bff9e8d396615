"""Forms for starting an evaluation and for the worker's PIN."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Regexp

MODE_CHOICES = [
    SelectChoice("assisted", _l("Completing it together")),
    SelectChoice("handed_over", _l("Handing the tablet over")),
]
PIN_RULE = Regexp(r"^\d{4,8}$", message=_l("A PIN is 4 to 8 digits."))


class StartEvaluationForm(FlaskForm):
    survey = RadioField(_l("Survey"), validators=[DataRequired(message=_l("Choose a survey."))])
    language = RadioField(_l("Language"), validators=[DataRequired(message=_l("Choose a language."))])
    mode = RadioField(
        _l("How will you complete it?"), choices=MODE_CHOICES, validators=[DataRequired(message=_l("Choose how."))]
    )
    lock_after = RadioField(
        _l("Lock the tablet when nobody touches it for"),
        validators=[DataRequired(message=_l("Choose when the tablet locks."))],
    )


class PinForm(FlaskForm):
    pin = PasswordField(_l("Your PIN"), validators=[DataRequired(message=_l("Enter your PIN.")), PIN_RULE])


class SetPinForm(FlaskForm):
    pin = PasswordField(_l("New PIN (4 to 8 digits)"), validators=[DataRequired(message=_l("Enter a PIN.")), PIN_RULE])
    confirm = PasswordField(
        _l("New PIN again"), validators=[EqualTo("pin", message=_l("The two PINs are not the same."))]
    )
