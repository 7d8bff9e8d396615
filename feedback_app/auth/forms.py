"""Forms for signing in and for a staff member's own account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..services.staff.accounts import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=1024)]
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes."),
        validators=[DataRequired(_l("Enter a code.")), Length(max=40)],
    )


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=1024)],
    )
    new = PasswordField(
        _l("New password"),
        description=_l(
            "At least %(n)d characters. A few unrelated words make a good password.", n=PASSWORD_MIN_LENGTH
        ),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(
                min=PASSWORD_MIN_LENGTH,
                max=PASSWORD_MAX_LENGTH,
                message=_l("Use %(min)d to %(max)d characters.", min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Enter the new password again.")),
            EqualTo("new", _l("The two new passwords are not the same.")),
        ],
    )


class ConfirmCodeForm(FlaskForm):
    code = StringField(
        _l("Code from your app"),
        description=_l("The 6-digit code your authenticator app shows now."),
        validators=[DataRequired(_l("Enter the code from your app.")), Length(max=12)],
    )
