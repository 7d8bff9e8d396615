"""The form behind every change in the coding queue: assigning, removing, accepting or
rejecting a theme, and saving or clearing an English gloss."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, IntegerField, StringField, TextAreaField
from wtforms.validators import UUID, InputRequired, Length

from ..services.insight import comment_search
from ..services.insight.catalogue import ALL
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
    def search(self) -> comment_search.TextSearch | None:
        """The queue's search, to highlight its words again (None: no search)."""
        return queue_search(self.queue_args)

    @property
    def mixed(self) -> bool:
        """Whether the queue mixes services or questions (each comment then says which)."""
        return queue_mixed(self.queue_args)

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


def queue_search(queue_args: dict[str, str]) -> comment_search.TextSearch | None:
    try:
        return comment_search.parse(queue_args["q"]) if queue_args.get("q") else None
    except comment_search.SearchError:
        return None


def queue_mixed(queue_args: dict[str, str]) -> bool:
    return ALL in (queue_args.get("service"), queue_args.get("question"))


class BulkApplyForm(Form):
    """"Add this theme to the selected comments": the selected comments (``comment``, each
    "<response id>:<answer name>", from the checkboxes on the cards), the theme, and the
    queue's parameters to come back to. A plain ``Form``: CSRFProtect checks its token."""

    theme_id = IntegerField(validators=[InputRequired(CHOOSE_THEME)], invalid_value_message=CHOOSE_THEME)
    total = StringField()

    def __init__(self, formdata) -> None:
        super().__init__(formdata)
        self.queue_args = queue_args_from(formdata)
        self.selected = [value[:200] for value in formdata.getlist("comment")][:1000]

    @property
    def keys(self) -> list[tuple[uuid.UUID, str]]:
        """The selected comments; values that do not name one are left out (they cannot be
        coded; the service counts them with those not found)."""
        found = []
        for value in self.selected:
            response_id, _sep, field = value.partition(":")
            try:
                found.append((uuid.UUID(response_id), field[:FIELD_MAX_LENGTH]))
            except ValueError:
                found.append((uuid.UUID(int=0), ""))  # not a comment: counted as not found
        return found

    @property
    def theme_problem(self) -> str | None:
        return str(self.theme_id.errors[0]) if self.theme_id.errors else None
