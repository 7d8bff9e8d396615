"""Choosing a period on a staff form: the select of recent financial-year quarters and
years, "All time" and "Custom range", its two dates, and the period they mean in words.
Shared by the coordinator's dashboard, coding and summary forms and the admin's raw export.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from ..i18n import format_date
from ..services.figures import periods

NOT_OFFERED = _l("Choose one of the options.")
BAD_DATE = _l("Enter a date like 2026-04-01.")
BACKWARDS_RANGE = _l("The end of the range is before its start.")
WHOLE_QUARTERS = _l("Figures cover whole quarters: a range is widened to the quarters it starts and ends in.")


def period_choices(field, today: date, all_time_token: str = "", all_time_first: bool = True) -> list[SelectChoice]:
    """Recent financial-year quarters and years, "All time" and "Custom range" for a period
    select. A bookmarked older period is offered too, and a period written another way
    ("2026/27", "Q1 2026/27") is read and set to its token on ``field``."""
    choices = [SelectChoice(p.token, p.label) for p in periods.recent_periods(today)]
    chosen = (field.data or "").strip()
    if chosen and chosen not in (all_time_token, periods.CUSTOM_TOKEN):
        try:
            period = periods.parse_token(chosen)
        except periods.PeriodError:
            period = None
        if period is not None and period.kind == periods.ALL:
            field.data = all_time_token
        elif period is not None:
            field.data = period.token
            if period.token not in {c.value for c in choices}:
                choices.append(SelectChoice(period.token, period.label))
    all_time = SelectChoice(all_time_token, _l("All time"))
    choices = [all_time, *choices] if all_time_first else [*choices, all_time]
    choices.append(SelectChoice(periods.CUSTOM_TOKEN, _l("Custom range (choose the dates)")))
    return choices


def read_period(
    period,
    date_from,
    date_to,
    fallback: periods.Period = periods.ALL_TIME,
    all_time_token: str = "",
    whole_quarters: bool = False,
) -> periods.Period:
    """The period a period select and its custom-range dates ask for; ``fallback`` when they
    make no sense (the reason is already on a field, or put on "to" for a backward range).

    ``whole_quarters`` (forms for figures): a custom range is widened to whole quarters
    (``periods.whole_quarters``) and the date fields show the dates used."""
    chosen = _read_period(period, date_from, date_to, fallback, all_time_token)
    if not whole_quarters or chosen.kind != periods.RANGE:
        return chosen
    widened = periods.whole_quarters(chosen)
    for field, day in ((date_from, widened.start), (date_to, widened.end)):
        field.data = day
        field.raw_data = [day.isoformat()] if day else []
    return widened


def _read_period(period, date_from, date_to, fallback: periods.Period, all_time_token: str) -> periods.Period:
    if period.errors:
        return fallback
    if period.data == all_time_token:
        return periods.ALL_TIME
    if period.data != periods.CUSTOM_TOKEN:
        return periods.parse_token(period.data or "")
    if date_from.errors or date_to.errors:
        return fallback
    try:
        return periods.custom(date_from.data, date_to.data)
    except periods.PeriodError:
        date_to.errors.append(str(BACKWARDS_RANGE))
        return fallback


def period_words(period: periods.Period) -> str:
    if period.kind != periods.RANGE:
        return period.label
    if period.start and period.end:
        return gettext("%(start)s to %(end)s", start=format_date(period.start), end=format_date(period.end))
    if period.start:
        return gettext("from %(start)s", start=format_date(period.start))
    return gettext("up to %(end)s", end=format_date(period.end))
