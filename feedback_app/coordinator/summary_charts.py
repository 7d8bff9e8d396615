"""Geometry of the themed summary's charts, drawn from protected cells only.

* ``row_bars``: a small bar beside each row of a table (the splits, services mentioned,
  responses by audience, looking ahead), scaled by the largest *shown* count, so a hidden
  count gets no bar and the scale never hints at it.
* ``service_chart``: for an audience, one stacked bar per service and question ("felt
  listened to", "felt safer"): a segment per answer whose count is shown, on one count scale
  for every service. A hidden count has no segment; the label after the bar repeats the
  "yes" count (and its percentage, where the page shows one).

The same geometry draws the page and the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..services.figures.counting import NOT_ANSWERED
from ..services.figures.dashboard import Figure
from ..services.reports.themed_summary import AudienceSection

ANSWERS = ("yes", "sometimes", "no", "prefer_not_to_say", NOT_ANSWERED)
SCALE_LABELS = {"listened": _l("Felt listened to"), "safer": _l("Felt safer")}

WIDTH = 640
LEGEND_LINE = 20
ROW_HEIGHT = 18
BAR_HEIGHT = 13
SERVICE_GAP = 8
SCALE_X = 182  # the question's short name, after the service's name
PLOT_X = 286
PLOT_WIDTH = 230  # room after the longest bar for "Yes: 1,234 (100%)"
LABEL_CHARS = 25
SWATCH = 11


def row_bars(figure: Figure) -> dict[str, float | None]:
    """Each row's bar length in per cent of the longest (None: no bar, the count is hidden)."""
    shown = [row.cell.value for row in figure.rows if not row.cell.suppressed and row.cell.value]
    top = max(shown) if shown else 0
    return {
        row.key: (None if row.cell.suppressed or not top else round(100 * (row.cell.value or 0) / top, 1))
        for row in figure.rows
    }


@dataclass(frozen=True)
class Segment:
    answer: str
    x: float
    width: float


@dataclass(frozen=True)
class ChartRow:
    service: str  # the service's (shortened) name, on its first row only
    scale: str
    y: float
    segments: tuple[Segment, ...]
    value_text: str
    value_x: float


@dataclass(frozen=True)
class LegendItem:
    answer: str
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class ServiceChart:
    width: int
    height: int
    bar_height: int
    rows: tuple[ChartRow, ...]
    legend: tuple[LegendItem, ...]
    rtl: bool
    scale_x: int = SCALE_X

    def x(self, position: float, width: float = 0) -> float:
        """Right to left pages draw from the right edge."""
        return round(self.width - position - width, 1) if self.rtl else position


def scale_figures(section: AudienceSection):
    """(service label, question figure) for every question of every service shown."""
    return [(service, figure) for service in section.service_sections for figure in service.scales if not figure.withheld]


def answer_labels(section: AudienceSection) -> dict[str, str]:
    """The answers' labels in the page's language ("Yes", "Sometimes", ...)."""
    labels: dict[str, str] = {}
    for _service, figure in scale_figures(section):
        for row in figure.rows:
            labels.setdefault(row.key, row.label)
    return {key: labels[key] for key in (*ANSWERS, *labels) if key in labels}


def service_chart(section: AudienceSection, rtl: bool = False) -> ServiceChart | None:
    """The chart of an audience's services, or None when no service has a question shown."""
    figures = scale_figures(section)
    if not figures:
        return None
    labels = answer_labels(section)
    legend, x, line = [], 0.0, 0
    for key, label in labels.items():
        width = SWATCH + 6 + 6.6 * len(label) + 14
        if x and x + width > WIDTH:  # the legend wraps onto another line
            x, line = 0.0, line + 1
        legend.append(LegendItem(key, label, x, line * LEGEND_LINE))
        x += width
    sums = [sum(r.cell.value or 0 for r in f.rows if not r.cell.suppressed) for _s, f in figures]
    scale = PLOT_WIDTH / max(sums) if max(sums) else 0.0
    rows, y, last_service = [], (line + 1) * LEGEND_LINE + 6, None
    for service, figure in figures:
        if last_service is not None and service is not last_service:
            y += SERVICE_GAP
        at, segments = 0.0, []
        for key in labels:
            row = next((r for r in figure.rows if r.key == key), None)
            if row is None or row.cell.suppressed or not row.cell.value:
                continue
            width = round(row.cell.value * scale, 1)
            segments.append(Segment(key, PLOT_X + at, width))
            at += width
        yes = next((r for r in figure.rows if r.key == "yes"), None)
        value_text = ""
        if yes is not None:
            value_text = f"{yes.label}: {yes.cell.shown}" + (f" ({yes.cell.percent})" if yes.cell.percent else "")
        rows.append(
            ChartRow(
                service=_shorten(service.label) if service is not last_service else "",
                scale=str(SCALE_LABELS.get(figure.key, figure.title)),
                y=y,
                segments=tuple(segments),
                value_text=value_text,
                value_x=PLOT_X + at + 6,
            )
        )
        y += ROW_HEIGHT
        last_service = service
    return ServiceChart(WIDTH, int(y + 4), BAR_HEIGHT, tuple(rows), tuple(legend), rtl)


def _shorten(label: str) -> str:
    """The table below the chart has the full name; a long one is shortened here, first by
    leaving out its explanation in brackets ("Police (999 or 101)" is "Police")."""
    if len(label) > LABEL_CHARS and " (" in label:
        label = label.split(" (", 1)[0]
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"
