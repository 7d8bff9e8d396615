"""The form behind every change in the coding queue: assigning, removing, accepting or
rejecting a theme, and saving or clearing an English gloss."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, IntegerField, StringField, TextAreaField
from wtforms.validators import UUID, InputRequired, Length

from .theme_forms import queue_args_from

FIELD_MAX_LENGTH = 80
COMMENT_NOT_FOUND = _l("That comment could not be found. It may have been removed.")
CHOOSE_THEME = _l("Choose a theme from the list.")


class CodingChangeForm(Form):
    """What each form of a comment posts: which comment (``response_id`` and ``field``), the
    theme (``theme_id``, for a theme change) or the gloss (``gloss``, and ``clear`` from the
    "Clear gloss" button), and where to come back to: the queue's parameters and its
    ``total``, both carried in hidden fields.

    A plain ``Form``: CSRFProtect checks the token of every post, as for the other forms
    of the queue page (its tokens are written by the template)."""

    response_id = StringField(validators=[InputRequired(COMMENT_NOT_FOUND), UUID(COMMENT_NOT_FOUND)])
    field = StringField(
        validators=[InputRequired(COMMENT_NOT_FOUND), Length(max=FIELD_MAX_LENGTH, message=COMMENT_NOT_FOUND)]
    )
    theme_id = IntegerField(validators=[InputRequired(CHOOSE_THEME)], invalid_value_message=CHOOSE_THEME)
    gloss = TextAreaField()
    clear = BooleanField(false_values=("",))  # whatever the button posts, it clears
    total = StringField()  # the queue's number of comments, posted back as it was shown

    def __init__(self, formdata, *, with_theme: bool) -> None:
        super().__init__(formdata)
        if not with_theme:
            del self.theme_id
        self.queue_args = queue_args_from(formdata)

    @property
    def comment_problem(self) -> str | None:
        """After ``validate``: why the comment cannot be found from what was posted (None:
        it may be there)."""
        return next((str(f.errors[0]) for f in (self.response_id, self.field) if f.errors), None)

    @property
    def theme_problem(self) -> str | None:
        """After ``validate``: why the posted theme cannot be used (None: it is a number, or
        none is needed)."""
        if self.theme_id is None or not self.theme_id.errors:
            return None
        return str(self.theme_id.errors[0])

    @property
    def comment(self) -> tuple[uuid.UUID, str]:
        """The comment asked about: (response id, answer name). Only when ``comment_problem`` is None."""
        return uuid.UUID(self.response_id.data), self.field.data

    @property
    def gloss_text(self) -> str:
        """The gloss to save: empty (cleared) when the clear button was used."""
        return "" if self.clear.data else (self.gloss.data or "")

    @property
    def total_count(self) -> int | None:
        """The posted total as a count, or None when it is not a number."""
        try:
            return max(0, int(self.total.data or ""))
        except ValueError:
            return None
