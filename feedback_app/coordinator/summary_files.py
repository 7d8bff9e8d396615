"""The themed summary as files: the CSV's lines and the XLSX's sheets.

Figures and quotes come from ``themed_summary`` (``export_rows``, ``quote_rows``) exactly as
the page shows them: every number is a protected ``Cell``'s, and a number the page does not
show is written as the page's words ("fewer than 5", "not shown"). Here they get their
columns and their wording in the page's language; ``services.reports.exports`` writes them
(formula-safe, numbers as numbers).

* **CSV**, one table: Audience, Service, Table, Answer, Number, Per cent. Number is the
  count as a number, or the page's words where it is not shown; Per cent is the page's
  percentage as a whole number (53 for "53%"), empty where the page shows none. Service is
  empty for a table about the whole audience. The approved quotes follow the tables, one a
  line: Table says which kind ("Quotes: what helped"), Answer holds the wording.
* **XLSX**: "Summary" (responses by audience, then the period, the date it was made, the
  note on demo responses and the small-numbers rule), one sheet per audience (Service,
  Table, Answer, Number, Per cent; for an audience too small to break down, only its number
  of responses and the page's sentence), and "Quotes" (Audience, Service, Kind, Quote).
  Percentages are numbers formatted as per cent (0.53 shown as 53%), dates real dates
  ("28 November 2026").
* The report's **commentary** (``services.reports.commentary``), where the page shows it:
  the CSV's last lines (Table "Commentary: introduction", ...; Answer holds the words) and
  the XLSX's "Commentary" sheet (Section, Part, Text). It is staff-written text, neutralised
  like every other text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..services.insight.catalogue import HELPFUL, IMPROVEMENT, OTHER
from ..services.reports import commentary, exports
from ..services.reports.commentary import ReportCommentaries
from ..services.reports.themed_summary import (
    RESPONSES_TITLE,
    AudienceSection,
    ExportRow,
    QuoteRow,
    Summary,
    audience_rows,
    export_rows,
    quote_rows,
    responses_rows,
    shown_number,
)
from .presenters import demo_note

QUOTE_KIND_LABELS = {HELPFUL: _l("What helped"), IMPROVEMENT: _l("What could improve"), OTHER: _l("Other comments")}
# The CSV's "Table" column for a quote.
QUOTE_TABLE_TITLES = {
    HELPFUL: _l("Quotes: what helped"),
    IMPROVEMENT: _l("Quotes: what could improve"),
    OTHER: _l("Quotes: other comments"),
}
COMMENTARY_TABLE_TITLES = {
    commentary.INTRODUCTION: _l("Commentary: introduction"),
    commentary.METHOD: _l("Commentary: how feedback was collected"),
    commentary.SERVICE_PREFIX: _l("Commentary: about this service"),
    commentary.CHANGED: _l("Commentary: what we changed"),
}
NUMBER_WIDTH = 14  # "fewer than 5", "not shown"
PERCENT_WIDTH = 10
TEXT_WIDTH_MAX = 50
QUOTE_WIDTH = 80
COMMENTARY_WIDTH = 80
COMMENTARY_PART_LABELS = {**commentary.PART_LABELS, commentary.SERVICE_PREFIX: _l("About this service")}


@dataclass(frozen=True)
class CommentaryRow:
    """One part of the commentary, where the page shows it."""

    section: str  # an audience's title, or "" for the whole report
    service: str  # the service's label for a service's commentary, else ""
    part: str  # INTRODUCTION | METHOD | SERVICE_PREFIX | CHANGED
    text: str


@dataclass(frozen=True)
class SummaryFile:
    """What a file of the summary holds: its tables' rows, its quotes and its commentary."""

    report: Summary
    period_text: str
    rows: tuple[ExportRow, ...]
    quotes: tuple[QuoteRow, ...]
    commentary: tuple[CommentaryRow, ...] = ()

    @classmethod
    def of(cls, report: Summary, period_text: str, notes: ReportCommentaries | None = None) -> SummaryFile:
        said = tuple(commentary_rows(report, notes)) if notes is not None else ()
        return cls(report, period_text, tuple(export_rows(report)), tuple(quote_rows(report)), said)

    @property
    def count(self) -> int:
        """Rows of figures, quotes and commentary, for the export log."""
        return len(self.rows) + len(self.quotes) + len(self.commentary)


def commentary_rows(report: Summary, notes: ReportCommentaries) -> Iterator[CommentaryRow]:
    """The commentary in the page's order: the report's introduction and method, each
    audience's (its services' under the services the page shows), each audience's and then
    the report's "what we changed"."""
    whole = notes.of(commentary.WHOLE_REPORT)
    for part in (commentary.INTRODUCTION, commentary.METHOD):
        if whole.part(part):
            yield CommentaryRow("", "", part, whole.part(part))
    for audience in report.audiences:
        said = notes.of(audience.audience)
        for part in (commentary.INTRODUCTION, commentary.METHOD):
            if said.part(part):
                yield CommentaryRow(audience.title, "", part, said.part(part))
        for service in audience.service_sections:
            if said.service(service.key):
                yield CommentaryRow(audience.title, service.label, commentary.SERVICE_PREFIX, said.service(service.key))
        if said.changed:
            yield CommentaryRow(audience.title, "", commentary.CHANGED, said.changed)
    if whole.changed:
        yield CommentaryRow("", "", commentary.CHANGED, whole.changed)


def _section_title(row: CommentaryRow) -> str:
    return row.section or gettext("The whole report")


# -- CSV ----------------------------------------------------------------------------------


def csv_header() -> list[str]:
    return [gettext("Audience"), gettext("Service"), gettext("Table"), gettext("Answer"), gettext("Number"), gettext("Per cent")]


def csv_lines(content: SummaryFile) -> Iterator[str]:
    figures = ([row.audience, *_figure_values(row)] for row in content.rows)
    quotes = ([q.audience, q.service, str(QUOTE_TABLE_TITLES[q.kind]), q.text, "", ""] for q in content.quotes)
    said = (
        [_section_title(c), c.service, str(COMMENTARY_TABLE_TITLES[c.part]), c.text, "", ""] for c in content.commentary
    )
    return exports.csv_lines(csv_header(), chain(figures, quotes, said))


def _figure_values(row: ExportRow) -> list:
    """Service, Table, Answer, Number, Per cent."""
    return [row.section, row.table, row.answer, row.number, _percent(row)]


# -- XLSX ---------------------------------------------------------------------------------


def xlsx_sheets(content: SummaryFile) -> list[exports.Sheet]:
    report = content.report
    return [
        _summary_sheet(content),
        *(_audience_sheet(audience, report) for audience in report.audiences),
        _quotes_sheet(content.quotes),
        _commentary_sheet(content.commentary),
    ]


def _summary_sheet(content: SummaryFile) -> exports.Sheet:
    report = content.report
    header = [gettext("Audience"), gettext("Number"), gettext("Per cent")]
    table = [[row.answer, row.number, _percent(row)] for row in responses_rows(report)]
    about = [
        [gettext("Report"), gettext("Survivor feedback: themed summary")],
        [gettext("Period"), content.period_text],
        [gettext("Made on"), report.generated_on],
        [gettext("Demo responses"), demo_note(report.demo)],
    ]
    if report.threshold > 1:
        about.append(
            [
                gettext("Small numbers"),
                gettext(
                    "Numbers from 1 to %(below)s are shown as “fewer than %(threshold)s”; percentages only when out of %(base)s or more; “not shown” numbers are hidden so that a small number cannot be worked out.",
                    below=report.threshold - 1,
                    threshold=report.threshold,
                    base=report.percent_base_min,
                ),
            ]
        )
    # The notes' sentences run on to the right over the empty cells; only their labels
    # count for the first column's width.
    widths = exports.fit_widths(header, [*table, *([label] for label, _value in about)], maximum=TEXT_WIDTH_MAX)
    widths[1:] = [NUMBER_WIDTH, PERCENT_WIDTH]
    return exports.Sheet(
        gettext("Summary"), header, [*table, [], *about], widths=widths, date_format=exports.LONG_DATE_FORMAT
    )


def _audience_sheet(audience: AudienceSection, report: Summary) -> exports.Sheet:
    header = [gettext("Service"), gettext("Table"), gettext("Answer"), gettext("Number"), gettext("Per cent")]
    rows: list[list] = [["", str(RESPONSES_TITLE), audience.title, shown_number(audience.total), None]]
    if audience.empty:
        rows.append(["", "", gettext("No responses from this group in this period."), None, None])
    elif not audience.shown:
        rows.append(
            ["", "", gettext("Too few responses from this group to say more without risk of identifying someone."), None, None]
        )
    else:
        rows.extend(_figure_values(row) for row in audience_rows(audience))
    widths = exports.fit_widths(header, (row[:3] for row in rows), maximum=TEXT_WIDTH_MAX)
    widths[3:] = [NUMBER_WIDTH, PERCENT_WIDTH]
    return exports.Sheet(audience.title, header, rows, widths=widths)


def _quotes_sheet(quotes: tuple[QuoteRow, ...]) -> exports.Sheet:
    header = [gettext("Audience"), gettext("Service"), gettext("Kind"), gettext("Quote")]
    rows = [[q.audience, q.service, str(QUOTE_KIND_LABELS[q.kind]), q.text] for q in quotes]
    widths = exports.fit_widths(header, (row[:3] for row in rows), maximum=TEXT_WIDTH_MAX)
    widths[3:] = [QUOTE_WIDTH]
    return exports.Sheet(gettext("Quotes"), header, rows, widths=widths, wrap={3})


def _commentary_sheet(rows: tuple[CommentaryRow, ...]) -> exports.Sheet:
    header = [gettext("Section"), gettext("Part"), gettext("Text")]
    table = [[_section_title(c), c.service or str(COMMENTARY_PART_LABELS[c.part]), c.text] for c in rows]
    widths = exports.fit_widths(header, (row[:2] for row in table), maximum=TEXT_WIDTH_MAX)
    widths[2:] = [COMMENTARY_WIDTH]
    return exports.Sheet(gettext("Commentary"), header, table, widths=widths, wrap={2})


def _percent(row: ExportRow) -> exports.Percent | None:
    return exports.Percent(row.percent) if row.percent is not None else None
