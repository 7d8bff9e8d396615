"""Forms of “You said, we did”: a statement's English wording with its quarter and service,
and its wording in another language. The service checks what is typed; a form that comes
back with errors shows everything that was typed again."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField

from ..i18n import text_direction
from ..services.impact import statements as statement_service
from .statement_presenters import GENERAL_LABEL, months_of
from .theme_forms import grouped_service_choices

PART_HINT = _l("Up to %(n)d characters.", n=statement_service.PART_MAX_LENGTH)


def period_choices(today: date, keep: str | None = None) -> list[SelectChoice]:
    return [
        SelectChoice(p.token, f"{p.label} ({months_of(p)})") for p in statement_service.period_options(today, keep)
    ]


def service_choices(keep: str | None = None) -> list[SelectChoice]:
    general = SelectChoice(statement_service.GENERAL, GENERAL_LABEL)
    return grouped_service_choices(general, statement_service.service_options(), keep)


class WordingForm(FlaskForm):
    """One language's wording: what people told us, and what was done."""

    you_said = TextAreaField(
        _l("You said"),
        description=_l(
            "What people told us, in a sentence or two of your own words. Do not quote anyone, "
            "and give no numbers that could identify someone."
        ),
    )
    we_did = TextAreaField(_l("We did"), description=_l("What the service changed, or will change, because of it."))

    def __init__(self, *args, language: str = statement_service.MASTER, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        for field in (self.you_said, self.we_did):
            # No maxlength: a browser would silently cut pasted text; the service says what is too long.
            field.render_kw = {"rows": 4, "lang": language, "dir": text_direction(language)}
        self.you_said.description = f"{self.you_said.description} {PART_HINT}"
        self.we_did.description = f"{self.we_did.description} {PART_HINT}"

    def show_errors(self, errors: dict[str, list]) -> None:
        """Put a service's messages on their fields (``""``: on the form as a whole)."""
        for name, messages in errors.items():
            field = getattr(self, name, None) if name else None
            if field is None:
                self.form_errors.extend(str(m) for m in messages)
            else:
                field.errors = [*field.errors, *(str(m) for m in messages)]

    # The fields in the order the page shows them (for the summary of what was wrong).
    shown_fields = ("you_said", "we_did")

    @property
    def error_fields(self):
        return [self[name] for name in self.shown_fields if self[name].errors]


class StatementForm(WordingForm):
    """The English (master) wording, with the statement's quarter and service."""

    period = SelectField(
        _l("Quarter"), validate_choice=False, description=_l("The financial-year quarter the statement is about.")
    )
    service = SelectField(_l("Service"), validate_choice=False)
    shown_fields = ("period", "service", "you_said", "we_did")

    def __init__(self, *args, today: date, keep_period: str | None = None, keep_service: str | None = None, **kwargs):
        super().__init__(*args, language=statement_service.MASTER, **kwargs)
        self.period.choices = period_choices(today, keep_period)
        self.service.choices = service_choices(keep_service)
        if self.period.data is None and self.period.choices:
            self.period.data = self.period.choices[0].value


class StatementActionForm(FlaskForm):
    """Publish, withdraw or approve: only the CSRF token."""
