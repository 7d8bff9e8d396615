"""Geometry for the dashboard's server-rendered bar charts.

A chart draws the protected cells of a ``Figure`` and nothing else: a hidden cell gets no bar,
only its words ("fewer than 5"), and the scale is set by the shown counts only, so the length
of a bar never hints at a hidden number.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..services.figures.dashboard import Figure

# Narrow on purpose: on a phone the chart is scaled down, and its text with it.
WIDTH = 420
ROW_HEIGHT = 46
BAR_HEIGHT = 17
LABEL_BASELINE = 16  # the label sits above its bar
BAR_TOP = 22
PLOT_WIDTH = 300  # room after the longest bar for its number, e.g. "1,234 (100%)"
LABEL_CHARS = 50


@dataclass(frozen=True)
class Bar:
    label: str
    label_x: float
    label_y: float
    bar_x: float
    bar_y: float
    bar_width: float  # 0: no bar (a hidden or zero count)
    value_text: str
    value_x: float
    value_y: float
    hidden: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]
    rtl: bool


def bar_chart(figure: Figure, rtl: bool = False) -> Chart:
    shown = [row.cell.value for row in figure.rows if not row.cell.suppressed and row.cell.value]
    scale = PLOT_WIDTH / max(shown) if shown else 0.0
    bars = []
    for index, row in enumerate(figure.rows):
        top = index * ROW_HEIGHT
        width = 0.0 if row.cell.suppressed else round((row.cell.value or 0) * scale, 1)
        value_text = row.cell.shown + (f" ({row.cell.percent})" if row.cell.percent else "")
        value_at = width + 6
        bars.append(
            Bar(
                label=_shorten(row.label),
                label_x=_x(0, rtl),
                label_y=top + LABEL_BASELINE,
                bar_x=_x(width, rtl) if rtl else 0,
                bar_y=top + BAR_TOP,
                bar_width=width,
                value_text=value_text,
                value_x=_x(value_at, rtl),
                value_y=top + BAR_TOP + BAR_HEIGHT - 4,
                hidden=row.cell.suppressed,
            )
        )
    return Chart(WIDTH, max(len(bars), 1) * ROW_HEIGHT + 4, BAR_HEIGHT, tuple(bars), rtl)


def _x(position: float, rtl: bool) -> float:
    """Right to left pages draw from the right edge."""
    return round(WIDTH - position, 1) if rtl else position


def _shorten(label: str) -> str:
    """The table beside the chart has the full wording; a long label is shortened here."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"
