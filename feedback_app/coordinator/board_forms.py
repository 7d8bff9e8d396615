"""The board summary's choices: a period (the themed summary's select), an audience, and
whether demo responses count. A GET form read from the query string, so a board summary
can be bookmarked; a value that makes no sense is shown as an error on its field and left
out."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField

from ..services.figures import periods
from ..staff_forms.periods import NOT_OFFERED
from ..staff_forms.summary import SummaryForm, describe_period
from .forms import AUDIENCE_LABELS


class BoardForm(SummaryForm):
    audience = SelectField(_l("Audience"), validate_choice=False)

    def __init__(self, args, today: date, default_period: periods.Period, audiences) -> None:
        super().__init__(args, today=today, default_period=default_period)
        self.audience.choices = [SelectChoice("", _l("All audiences"))] + [
            SelectChoice(a, AUDIENCE_LABELS.get(a, a)) for a in audiences
        ]

    def read(self) -> periods.Period:
        period = super().read()
        if self.audience.data and self.audience.data not in {c.value for c in self.audience.choices}:
            self.audience.errors.append(str(NOT_OFFERED))
        return period

    @property
    def chosen_audience(self) -> str | None:
        return None if self.audience.errors else (self.audience.data or None)

    def query(self) -> dict[str, str]:
        params = super().query()
        if self.chosen_audience:
            params["audience"] = self.chosen_audience
        return params

    def summary_line(self) -> str:
        """The choices in words, for the line the filters fold into on a small screen."""
        audience = next((str(c.label) for c in self.audience.choices if c.value == (self.chosen_audience or "")), "")
        demo = _l("demo responses left out") if not self.include_demo else _l("demo responses included")
        return " · ".join((describe_period(self.chosen_period), audience, str(demo)))


