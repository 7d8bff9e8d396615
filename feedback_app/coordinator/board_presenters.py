"""How the board summary reads: changes since the previous period in words, arrows with
their text, and the labels of its rows and columns.

A change is worked out by the service from shown numbers only (``reports.board``); here it
becomes words: "up 6 points", "down 3 points", "no change", "not comparable" (when one side
is hidden). A theme's trend gets an arrow for the eye, hidden from screen readers, and the
same in words ("up from 12"): never colour or shape alone.
"""

from __future__ import annotations

from flask_babel import format_percent, gettext, ngettext
from flask_babel import lazy_gettext as _l

from ..i18n import survey_text
from ..services.figures.counting import NOT_ANSWERED
from ..services.figures.cross_counts import ONE_TO_ONE, ONLINE
from ..services.reports import board as board_service
from ..services.reports.board import Change, Comparison
from .forms import AUDIENCE_LABELS

SCALE_WORDS = {"listened": _l("Felt listened to"), "safer": _l("Felt safer")}
SCALE_SHORT = {"listened": _l("Listened to"), "safer": _l("Safer")}
MODE_WORDS = {ONLINE: _l("Online"), ONE_TO_ONE: _l("1:1 with a support worker")}
ARROWS = {board_service.UP: "↑", board_service.DOWN: "↓", board_service.SAME: "→"}


def points_change(change: Change | None) -> str:
    """A change of a percentage, in percentage points."""
    if change is None:
        return ""
    if change.kind == board_service.UP:
        return ngettext("up %(num)d point", "up %(num)d points", change.amount)
    if change.kind == board_service.DOWN:
        return ngettext("down %(num)d point", "down %(num)d points", change.amount)
    if change.kind == board_service.SAME:
        return gettext("no change")
    return gettext("not comparable")


def count_trend(comparison: Comparison) -> str:
    """A count's change, saying where it came from: "up from 12", "down from 7"."""
    change, before = comparison.change, comparison.before
    if change is None:
        return ""
    if change.kind == board_service.UP:
        return gettext("up from %(number)s", number=before.shown)
    if change.kind == board_service.DOWN:
        return gettext("down from %(number)s", number=before.shown)
    if change.kind == board_service.SAME:
        return gettext("the same as before")
    return gettext("not comparable")


def arrow(change: Change | None) -> str:
    return ARROWS.get(change.kind, "") if change else ""


def audience_title(audience: str) -> str:
    """Short: "Adults", "Young people", "Anyone (open survey)" (a table's column heads)."""
    return str(AUDIENCE_LABELS.get(audience, audience))


def audience_list(audiences) -> str:
    """Audiences in words, joined: "Young people", "Adult survivors, Young people"."""
    return ", ".join(audience_title(a) for a in audiences)


def other_services(services) -> str:
    """Services shown without a percentage, with how many mentioned each: "School (2), Family (1)"."""
    return ", ".join(f"{service.label} ({service.mentions.shown})" for service in services)


def area_labels(areas) -> dict[str, str]:
    """{area key: label} from the filter options, with "Not answered"."""
    labels = {o.value: survey_text(o.label) for o in areas}
    labels[NOT_ANSWERED] = gettext("Not answered")
    return labels


def percent_label(share: float) -> str:
    """A gridline of the chart: "0%", "50%", "100%"."""
    return format_percent(share)


BOARD_HELPERS = {
    "points_change": points_change,
    "count_trend": count_trend,
    "arrow": arrow,
    "audience_title": audience_title,
    "audience_list": audience_list,
    "other_services": other_services,
    "scale_words": SCALE_WORDS,
    "scale_short": SCALE_SHORT,
    "mode_words": MODE_WORDS,
}
