"""How the themed summary reads when published: the executive summary's pieces, the
commentary's paragraphs, and the date in words.

Everything here picks cells the summary already holds (``themed_summary``): the executive
summary adds no number of its own, so nothing in it can be subtracted from another figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import format_date
from ..services.figures.disclosure import Cell
from ..services.reports import commentary
from ..services.reports.themed_summary import AudienceSection, Summary, ThemeRow
from . import summary_charts

TOP_THEMES = 3


@dataclass(frozen=True)
class ServiceHeadline:
    label: str
    mentions: Cell
    listened: Cell | None  # the "yes" answers, as the page shows them; None: not asked or not shown
    safer: Cell | None


@dataclass(frozen=True)
class AudienceHeadlines:
    audience: str
    title: str
    services: tuple[ServiceHeadline, ...]
    helpful: tuple[ThemeRow, ...]
    improvement: tuple[ThemeRow, ...]


def _yes(service, key: str) -> Cell | None:
    figure = next((f for f in service.scales if f.key == key and not f.withheld), None)
    row = next((r for r in figure.rows if r.key == "yes"), None) if figure is not None else None
    return row.cell if row is not None else None


def headlines(report: Summary) -> tuple[AudienceHeadlines, ...]:
    """For each audience the summary breaks down: its services' "felt listened to" and "felt
    safer" yes answers, and its top themes of each kind (across all its comments)."""
    found = []
    for audience in report.audiences:
        if not audience.shown:
            continue
        services = tuple(
            ServiceHeadline(s.label, s.mentions, _yes(s, "listened"), _yes(s, "safer")) for s in audience.service_sections
        )
        tables = {t.kind: t.rows for t in audience.themes}
        found.append(
            AudienceHeadlines(
                audience.audience,
                audience.title,
                services,
                tuple(r for r in tables.get("helpful", ()) if not r.cell.suppressed)[:TOP_THEMES],
                tuple(r for r in tables.get("improvement", ()) if not r.cell.suppressed)[:TOP_THEMES],
            )
        )
    return tuple(found)


@dataclass(frozen=True)
class CrossTabRow:
    service: str
    first: bool  # the service's first question (its name is shown once)
    question: str
    cells: tuple[Cell | None, ...]  # by answer, in ``answers``' order (None: not asked)
    total: Cell


def cross_tab(audience: AudienceSection) -> tuple[dict[str, str], tuple[CrossTabRow, ...]]:
    """The answers ({key: label}) and a row per service and question: the same cells as the
    services' own tables, side by side."""
    answers = summary_charts.answer_labels(audience)
    rows, last = [], None
    for service, figure in summary_charts.scale_figures(audience):
        by_key = {r.key: r.cell for r in figure.rows}
        question = str(summary_charts.SCALE_LABELS.get(figure.key, figure.title))
        rows.append(CrossTabRow(service.label, service is not last, question, tuple(by_key.get(k) for k in answers), figure.total))
        last = service
    return answers, tuple(rows)


def withheld_scales(audience: AudienceSection) -> list[tuple[str, str]]:
    """(service, question) whose table the page withholds (too small to show safely)."""
    return [(s.label, f.title) for s in audience.service_sections for f in s.scales if f.withheld]


def long_date(day) -> str:
    """"28 November 2026" (en_GB for English)."""
    return format_date(day, format="long")


SUMMARY_HELPERS = {
    "headlines": headlines,
    "cross_tab": cross_tab,
    "withheld_scales": withheld_scales,
    "service_chart": summary_charts.service_chart,
    "row_bars": summary_charts.row_bars,
    "paragraphs": commentary.paragraphs,
    "excerpt": commentary.excerpt,
    "long_date": long_date,
}
