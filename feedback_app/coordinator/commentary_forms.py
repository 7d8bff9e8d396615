"""The form for one period's and audience's commentary of the themed summary: a text box per
part (introduction, how feedback was collected, each service shown, what was changed).

The parts depend on the audience and on the services its section shows, so the form class
is made for them. The service checks what is typed; a form that comes back with an error
shows everything that was typed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_number, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from ..services.reports import commentary

PART_HINTS = {
    commentary.INTRODUCTION: _l("Opens the section: what it covers and anything the reader should know first."),
    commentary.METHOD: _l("Who collected the feedback and how: for example one-to-one evaluations with workers, or the online survey."),
    commentary.CHANGED: _l("What services changed, or will change, because of this feedback. Its first lines also go in the executive summary."),
}
SERVICE_HINT = _l("Shown under this service's figures.")


def length_hint() -> str:
    return gettext(
        "Plain text: leave a blank line between paragraphs. Up to %(n)s characters.", n=format_number(commentary.MAX_LENGTH)
    )


def message(error) -> str:
    """A service's error in words: too long a part says how long it is and may be."""
    if isinstance(error, commentary.TooLong):
        return gettext(
            "This is %(count)s characters long. Please keep it to %(limit)s characters or fewer: "
            "nothing has been saved yet, and your words are still here to shorten.",
            count=format_number(error.length),
            limit=format_number(error.limit),
        )
    return str(error)


@dataclass(frozen=True)
class Part:
    part: str  # "introduction", "method", "changed" or "service:<key>"
    label: str
    hint: str

    @property
    def name(self) -> str:
        """The form field's name: a plain identifier ("service_services__police")."""
        return self.part.replace(":", "_").replace(".", "__")


def general_parts() -> list[Part]:
    return [Part(p, str(commentary.PART_LABELS[p]), str(PART_HINTS[p])) for p in commentary.GENERAL_PARTS]


def service_part(key: str, label: str) -> Part:
    return Part(commentary.service_part(key), label, str(SERVICE_HINT))


class CommentaryForm(FlaskForm):
    """Only the CSRF token; ``commentary_form`` adds a text box per part."""

    parts: list[Part]

    @property
    def error_fields(self):
        return [self[p.name] for p in self.parts if self[p.name].errors]

    def values(self) -> dict[str, str]:
        return {p.part: self[p.name].data or "" for p in self.parts}

    def show_errors(self, errors: dict[str, list]) -> None:
        by_part = {p.part: p.name for p in self.parts}
        for part, messages in errors.items():
            if part in by_part:
                self[by_part[part]].errors = [*self[by_part[part]].errors, *(message(m) for m in messages)]
            else:
                self.form_errors.extend(message(m) for m in messages)


def commentary_form(parts: list[Part], formdata=None, data: dict | None = None) -> CommentaryForm:
    fields = {
        p.name: TextAreaField(p.label, description=f"{p.hint} {length_hint()}", render_kw={"rows": 6 if p.part in commentary.GENERAL_PARTS else 4})
        for p in parts
    }
    form_class = type("PartsForm", (CommentaryForm,), fields)
    # No maxlength: a browser would silently cut pasted text; the service says what is too long.
    form = form_class(formdata=formdata, data={p.name: (data or {}).get(p.part, "") for p in parts} if data is not None else None)
    form.parts = parts
    return form
