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


def _shorten(label: str, chars: int = LABEL_CHARS) -> str:
    """The table beside the chart has the full wording; a long label is shortened here."""
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


# -- the board summary's chart: two shares per service, side by side ----------------------

PAIR_WIDTH = 560
PAIR_LABEL_WIDTH = 200  # service names on the left, on two lines if need be
PAIR_PLOT_WIDTH = 250  # 100% is this long; the words after the bar need the rest
PAIR_BAR_HEIGHT = 14
PAIR_GAP = 4
PAIR_ROW_HEIGHT = 2 * PAIR_BAR_HEIGHT + PAIR_GAP + 14
PAIR_LABEL_CHARS = 24


@dataclass(frozen=True)
class PairBar:
    x: float
    y: float
    width: float  # 0: no bar (not shown, or no percentage)
    value_text: str  # "Listened to: 62%" / "Safer: fewer than 5"
    value_x: float
    kind: str  # the question: styles tell the two apart as well as the words


@dataclass(frozen=True)
class PairRow:
    label: tuple[tuple[float, str], ...]  # (y, words): the service's name on one or two lines
    label_x: float
    bars: tuple[PairBar, ...]


@dataclass(frozen=True)
class PairChart:
    width: int
    height: int
    bar_height: int
    plot_x: float
    axis_top: float
    axis_bottom: float
    gridlines: tuple[tuple[float, str], ...]  # x, "50%"
    rows: tuple[PairRow, ...]
    rtl: bool


def pair_chart(rows, questions, words, no_percent: str, percent_label, rtl: bool = False) -> PairChart:
    """One row per service, one bar per question (``questions``: keys in order), each the
    share of the protected cell ``rows[i].scales[question].now``. The scale is 0–100%,
    fixed: no bar's length depends on a hidden number, and a cell whose percentage is not
    shown gets no bar, only its words. ``words[question]`` names a bar ("Listened to"),
    ``percent_label(share)`` words a gridline."""
    top = 18  # room for the gridline labels
    chart_rows = []
    for index, row in enumerate(rows):
        y0 = top + index * PAIR_ROW_HEIGHT
        bars = []
        for number, question in enumerate(questions):
            comparison = row.scales.get(question)
            if comparison is None:
                continue
            cell = comparison.now
            width = round(cell.share * PAIR_PLOT_WIDTH, 1) if cell.percent and cell.share is not None else 0.0
            if cell.percent:
                value = cell.percent
            elif cell.suppressed:
                value = cell.shown
            else:
                value = no_percent
            bars.append(
                PairBar(
                    x=_pair_x(PAIR_LABEL_WIDTH + width, rtl) if rtl else PAIR_LABEL_WIDTH,
                    y=y0 + number * (PAIR_BAR_HEIGHT + PAIR_GAP),
                    width=width,
                    value_text=f"{words[question]}: {value}",
                    value_x=_pair_x(PAIR_LABEL_WIDTH + width + 6, rtl),
                    kind=question,
                )
            )
        chart_rows.append(
            PairRow(
                label=_two_lines(row.label, y0 + PAIR_BAR_HEIGHT + 2),
                label_x=_pair_x(PAIR_LABEL_WIDTH - 8, rtl),
                bars=tuple(bars),
            )
        )
    bottom = top + max(len(chart_rows), 1) * PAIR_ROW_HEIGHT
    gridlines = tuple((_pair_x(PAIR_LABEL_WIDTH + PAIR_PLOT_WIDTH * share, rtl), percent_label(share)) for share in (0, 0.5, 1))
    return PairChart(
        PAIR_WIDTH, bottom + 4, PAIR_BAR_HEIGHT, _pair_x(PAIR_LABEL_WIDTH, rtl), top - 4, bottom - 8, gridlines,
        tuple(chart_rows), rtl,
    )


def _two_lines(label: str, middle: float) -> tuple[tuple[float, str], ...]:
    """A service's name beside its two bars: one line if it fits, else broken at a space
    into two (the second shortened if need be), centred on ``middle``."""
    if len(label) <= PAIR_LABEL_CHARS:
        return ((middle, label),)
    cut = label.rfind(" ", 0, PAIR_LABEL_CHARS + 1)
    if cut <= 0:
        cut = PAIR_LABEL_CHARS
    first, rest = label[:cut].rstrip(), label[cut:].strip()
    return ((middle - 7, first), (middle + 7, _shorten(rest, PAIR_LABEL_CHARS)))


def _pair_x(position: float, rtl: bool) -> float:
    return round(PAIR_WIDTH - position, 1) if rtl else round(position, 1)
