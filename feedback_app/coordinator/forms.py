"""The dashboard's filter form: read from the query string, so a view can be bookmarked."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Form, SelectChoice, SelectField
from wtforms.validators import Optional

from ..i18n import language_name, survey_text
from ..services.figures import periods
from ..services.figures.filters import FilterOptions, Filters
from ..staff_forms.periods import BAD_DATE, NOT_OFFERED, WHOLE_QUARTERS, period_choices, period_words, read_period

AUDIENCE_LABELS = {
    "adult": _l("Adults"),
    "young_person": _l("Young people"),
    "anyone": _l("Anyone (open survey)"),
}
MODE_LABELS = {
    "online": _l("Online"),
    "assisted": _l("1:1 with a support worker"),
    "handed_over": _l("Handed over by a support worker"),
}


class DashboardFilterForm(Form):
    """A GET form: nothing changes, so no CSRF token."""

    period = SelectField(_l("Period"), validate_choice=False)
    date_from = DateField(
        _l("From (custom range)"), name="from", validators=[Optional()], description=_l("For example 2026-04-01")
    )
    date_to = DateField(_l("To (custom range)"), name="to", validators=[Optional()], description=WHOLE_QUARTERS)
    survey = SelectField(_l("Survey"), validate_choice=False)
    audience = SelectField(_l("Audience"), validate_choice=False)
    service = SelectField(_l("Service"), validate_choice=False)
    area = SelectField(_l("Area"), validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)
    mode = SelectField(_l("How it was filled in"), validate_choice=False)
    no_demo = BooleanField(_l("Leave out demo responses"), name="no_demo")

    def __init__(self, args, options: FilterOptions, today: date) -> None:
        super().__init__(args)
        self.chosen_period = periods.ALL_TIME  # set by ``filters()``
        self.survey.choices = _with_any(_l("All surveys"), [(o.value, survey_text(o.label)) for o in options.surveys])
        self.audience.choices = _with_any(
            _l("All audiences"), [(a, AUDIENCE_LABELS.get(a, a)) for a in options.audiences]
        )
        self.service.choices = _with_any(_l("All services"), [(o.value, survey_text(o.label)) for o in options.services])
        self.area.choices = _with_any(_l("All areas"), [(o.value, survey_text(o.label)) for o in options.areas])
        self.language.choices = _with_any(_l("All languages"), [(c, language_name(c)) for c in options.languages])
        self.mode.choices = _with_any(_l("Every way"), [(m, MODE_LABELS.get(m, m)) for m in options.collection_modes])
        self.period.choices = period_choices(self.period, today)

    def filters(self) -> Filters:
        """The filters asked for. A value that makes no sense is shown as an error on its
        field and left out, so the page still shows figures."""
        self.validate()
        for field in self._selects():
            if field.data and field.data not in {choice.value for choice in field.choices}:
                field.errors.append(str(NOT_OFFERED))
        for field in (self.date_from, self.date_to):
            if field.errors:
                field.errors[:] = [str(BAD_DATE)]
        self.chosen_period = read_period(self.period, self.date_from, self.date_to, whole_quarters=True)
        return Filters(
            survey=_valid(self.survey),
            audience=_valid(self.audience),
            period=self.chosen_period,
            service=_valid(self.service),
            area=_valid(self.area),
            language=_valid(self.language),
            collection_mode=_valid(self.mode),
            include_demo=not self.no_demo.data,
        )

    def _selects(self):
        return (self.period, self.survey, self.audience, self.service, self.area, self.language, self.mode)

    @property
    def error_fields(self):
        return [field for field in self if field.errors]

    def chosen_labels(self) -> list[str]:
        """The filters in use, in words: "Period: Q1 2026/27", "Language: polski"."""
        chosen = []
        period = self.chosen_period
        if period.kind != periods.ALL:
            chosen.append(f"{self.period.label.text}: {period_words(period)}")
        for field in self._selects()[1:]:
            if field.data and not field.errors:
                label = next((str(c.label) for c in field.choices if c.value == field.data), field.data)
                chosen.append(f"{field.label.text}: {label}")
        if self.no_demo.data:
            chosen.append(str(self.no_demo.label.text))
        return chosen


def _valid(field) -> str | None:
    return None if field.errors else (field.data or None)


def _with_any(any_label, pairs) -> list[SelectChoice]:
    return [SelectChoice("", any_label)] + [SelectChoice(value, label) for value, label in pairs]
