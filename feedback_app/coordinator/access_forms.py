"""The forms of the "Access to comments" page: give access to, or take it from, a coordinator."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class AccessChangeForm(FlaskForm):
    """Which coordinator (their account id); the button says what happens."""

    account = HiddenField()
