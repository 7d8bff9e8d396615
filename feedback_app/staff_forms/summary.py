"""The themed summary's choices: a period and whether demo responses count.

A GET form (nothing changes), read from the query string so that a summary can be
bookmarked. The download buttons post the same values back (with a CSRF token).

The period defaults to the last complete financial-year quarter: a summary is usually
written for a quarter that has ended.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, SelectChoice, SelectField
from wtforms.validators import Optional

from ..services.figures import periods
from .periods import BAD_DATE, NOT_OFFERED, WHOLE_QUARTERS, period_choices, period_words, read_period

ALL_TIME_TOKEN = "all"
DEMO_IN = "in"
DEMO_OUT = "out"


def demo_field() -> SelectField:
    """Whether demo responses count: a staff form's choice (the themed summary, the theme trend)."""
    return SelectField(
        _l("Demo responses"),
        choices=[
            SelectChoice(DEMO_IN, _l("Include demo responses")),
            SelectChoice(DEMO_OUT, _l("Leave out demo responses")),
        ],
        default=DEMO_IN,
        validate_choice=False,
    )


def last_complete_quarter(today: date) -> periods.Period:
    current = periods.quarter_of(today)
    return periods.quarter_of(current.start - timedelta(days=1))


class SummaryForm(Form):
    period = SelectField(_l("Period"), validate_choice=False)
    date_from = DateField(
        _l("From (custom range)"), name="from", validators=[Optional()], description=_l("For example 2026-04-01")
    )
    date_to = DateField(_l("To (custom range)"), name="to", validators=[Optional()], description=WHOLE_QUARTERS)
    demo = demo_field()

    def __init__(
        self, args, today: date, default_period: periods.Period | None = None, whole_quarters: bool = True
    ) -> None:
        """``whole_quarters``: the form chooses a period for figures, so a custom range is
        widened to whole quarters (False for the raw export, which counts nothing)."""
        super().__init__(args)
        self.whole_quarters = whole_quarters
        if not whole_quarters:
            self.date_to.description = ""
        self.default_period = default_period or last_complete_quarter(today)
        if not (self.period.data or "").strip():
            self.period.data = self.default_period.token or ALL_TIME_TOKEN
        self.period.choices = period_choices(self.period, today, ALL_TIME_TOKEN, all_time_first=False)
        self.chosen_period = self.default_period
        self.include_demo = True

    def read(self) -> periods.Period:
        """The period asked for; a value that makes no sense is shown as an error on its
        field and the default quarter is used instead."""
        self.validate()
        for field in (self.period, self.demo):
            if field.data not in {choice.value for choice in field.choices}:
                field.errors.append(str(NOT_OFFERED))
        for field in (self.date_from, self.date_to):
            if field.errors:
                field.errors[:] = [str(BAD_DATE)]
        self.include_demo = bool(self.demo.errors) or self.demo.data != DEMO_OUT
        self.chosen_period = read_period(
            self.period, self.date_from, self.date_to, fallback=self.default_period,
            all_time_token=ALL_TIME_TOKEN,
            whole_quarters=self.whole_quarters,
        )
        return self.chosen_period

    @property
    def error_fields(self):
        return [field for field in self if field.errors]

    def query(self) -> dict[str, str]:
        """The URL parameters for what is shown (for the download forms and links)."""
        period = self.chosen_period
        params = {"period": ALL_TIME_TOKEN} if period.kind == periods.ALL else period.query()
        if not self.include_demo:
            params["demo"] = DEMO_OUT
        return params


def describe_period(period: periods.Period) -> str:
    """The period in words, for headings and the export log."""
    if period.kind == periods.ALL:
        return str(_l("All time"))
    return period_words(period)
