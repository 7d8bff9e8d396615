"""The themed summary for a period, modelled on "Survivor Feedback" in the annual report.

For each audience (adult survivors, young people, people seeking support): how many
responded, who answered (gender, age), the services mentioned most, and for each service
the "felt listened to" and "felt safer" shares, the top themes of what helped and of what
could be better, and approved quotes.

Every number goes through the same disclosure control as the dashboard
(``dashboard.protect``): counts below the threshold read "fewer than N", percentages need a
large enough base, and additive tables get secondary suppression. Theme counts are not
additive (one comment can carry several themes) and get primary suppression. A quote is
shown only under a service or audience whose number of responses is shown (at least the
threshold), and only once a coordinator has approved its redacted wording.

The result is used for the page, the PDF, and (through ``export_rows`` and ``quote_rows``)
the spreadsheet and CSV, so that every surface shows exactly the same protected figures and
the same approved quotes. How a number reads
comes with the ``DisclosureRules`` the caller passes (``coordinator.presenters``); sections
and tables are named by keys, and HTML ids are the presenter's.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...extensions import db
from ...models import Quote, Response
from ...surveys.registry import all_surveys
from ..figures import counting
from ..figures.counting import NOT_ANSWERED, NOT_ASKED
from ..figures import periods
from ..figures.dashboard import Dashboard, Figure, FigureRow, ServiceFigures, dashboard
from ..figures.disclosure import NARROWED, Cell, DisclosureRules, protect_count
from ..figures.filters import Filters, surveys_in_scope
from ..figures.periods import Period
from ..insight import theme_counts
from ..insight.catalogue import GENERAL, HELPFUL, IMPROVEMENT, OTHER, catalogue
from ..insight.quotes import quote_text
from ..insight.theme_counts import ThemeCount
from ..responses.store import Unreadable

logger = logging.getLogger("feedback_app.report")

AUDIENCE_TITLES = {
    "adult": _l("Adult survivors"),
    "young_person": _l("Young people"),
    "anyone": _l("People seeking support"),
}
THEME_TITLES = {HELPFUL: _l("What helped: top themes"), IMPROVEMENT: _l("What could be better: top themes")}
OVERALL_THEME_TITLES = {
    HELPFUL: _l("What helped: top themes across all comments"),
    IMPROVEMENT: _l("What could be better: top themes across all comments"),
}
RESPONSES_TITLE = _l("Responses")
TOP_THEMES = 5
QUOTE_KINDS = (HELPFUL, IMPROVEMENT, OTHER)


@dataclass(frozen=True)
class ThemeRow:
    name: str  # typed by a coordinator: shown through autoescaping, neutralised in exports
    cell: Cell


@dataclass(frozen=True)
class ThemeTable:
    title: str
    kind: str  # HELPFUL | IMPROVEMENT
    rows: tuple[ThemeRow, ...]
    more: int = 0  # themes coded but not among the top ones listed


@dataclass(frozen=True)
class ServiceSection:
    key: str
    label: str
    mentions: Cell
    scales: tuple[Figure, ...]  # felt listened to, felt safer (where asked)
    themes: tuple[ThemeTable, ...]  # helpful, improvement
    quotes: dict  # HELPFUL / IMPROVEMENT / OTHER -> tuple of approved quote texts


@dataclass(frozen=True)
class AudienceSection:
    audience: str
    title: str
    total: Cell  # from the table of responses by audience (secondary suppression applied)
    shown: bool  # False: too few (or hidden to protect another audience) to break down
    splits: tuple[Figure, ...] = ()  # gender, age (those the audience's surveys ask)
    services: Figure | None = None
    service_sections: tuple[ServiceSection, ...] = ()
    themes: tuple[ThemeTable, ...] = ()  # across every comment of the audience
    # Approved quotes from comments not about one service: HELPFUL / IMPROVEMENT / OTHER -> texts
    general_quotes: dict = field(default_factory=dict)
    choices: tuple[Figure, ...] = ()  # preferred support, what would help

    @property
    def empty(self) -> bool:
        return self.total.value == 0

    @property
    def quotes(self) -> tuple[str, ...]:
        """Every approved quote not about one service (the page lists them together)."""
        return tuple(text for kind in QUOTE_KINDS for text in self.general_quotes.get(kind, ()))


# How demo responses are described (``DemoNote.kind``).
DEMO_NONE = "none"  # no demo responses in the period
DEMO_EXCLUDED = "excluded"  # left out of the figures
DEMO_INCLUDED = "included"  # in the figures (never how many)
DEMO_ALL = "all"  # every response in the figures is a demo one (none is real)


@dataclass(frozen=True)
class DemoNote:
    """Whether demo responses are in the figures, never how many (with the total, their
    number would give away the number of real responses)."""

    kind: str


@dataclass(frozen=True)
class Summary:
    period: Period
    include_demo: bool
    generated_on: date
    threshold: int
    percent_base_min: int
    responses: Figure  # responses by audience, with the total
    audiences: tuple[AudienceSection, ...]
    demo: DemoNote
    unreadable: int

    @property
    def total(self) -> Cell:
        return self.responses.total


def summary(period: Period, include_demo: bool, rules: DisclosureRules, today: date | None = None) -> Summary:
    """The themed summary for ``period``, protected under ``rules`` and ready to show or export."""
    return build(period, include_demo, rules, today or date.today())


def build(period: Period, include_demo: bool, rules: DisclosureRules, today: date) -> Summary:
    surveys = list(all_surveys().values())
    # The annual report's order first (adults, young people, the open survey), then any other.
    audiences = sorted(
        dict.fromkeys(s.audience for s in surveys),
        key=lambda a: list(AUDIENCE_TITLES).index(a) if a in AUDIENCE_TITLES else len(AUDIENCE_TITLES),
    )
    period = periods.whole_quarters(period)
    # Each audience is the dashboard's view of that audience and period, protected the same
    # way (query-set control included), so the summary and the dashboard show the same cells.
    views = {
        audience: dashboard(Filters(audience=audience, period=period, include_demo=include_demo), rules)
        for audience in audiences
    }
    everyone = dashboard(Filters(period=period, include_demo=include_demo), rules)
    responses = _responses_figure(views, everyone.total)
    sections = []
    for audience in audiences:
        view = views[audience]
        section = AudienceSection(audience=audience, title=_audience_title(audience), total=view.total, shown=False)
        if not view.too_few and not view.empty:
            section = _audience_section(section, view, period, include_demo, rules)
        sections.append(section)
    raw_total = sum(counting.compute(view.filters).total for view in views.values())
    return Summary(
        period=period,
        include_demo=include_demo,
        generated_on=today,
        threshold=rules.threshold,
        percent_base_min=rules.percent_base_min,
        responses=responses,
        audiences=tuple(sections),
        demo=_demo_note(period, include_demo, raw_total),
        unreadable=everyone.unreadable,
    )


def _responses_figure(views: dict[str, Dashboard], total: Cell) -> Figure:
    """Responses by audience: each audience's total as the dashboard's view of it shows it,
    and the period's total as its view shows it. A small audience reads "fewer than 5"; its
    number is not hidden further here, because every other number in the table is on the
    dashboard anyway (see the README's "Disclosure control": audiences that add up)."""
    rows = tuple(FigureRow(audience, _audience_title(audience), view.total) for audience, view in views.items())
    return Figure(
        key="responses",
        title=str(RESPONSES_TITLE),
        row_header=gettext("Audience"),
        rows=rows,
        total=total,
        protecting=any(row.cell.reason == NARROWED for row in rows),
    )


def _audience_section(
    section: AudienceSection, board: Dashboard, period: Period, include_demo: bool, rules: DisclosureRules
) -> AudienceSection:
    surveys = surveys_in_scope(board.filters)
    scope = theme_counts.Scope(surveys=tuple(s.slug for s in surveys), period=period, include_demo=include_demo)
    counts = theme_counts.count_themes(scope)
    real_counts = theme_counts.count_themes(replace(scope, include_demo=False)) if include_demo else counts
    quotes = _approved_quotes(scope)
    services = tuple(
        _service_section(service, counts.for_service(service.key), real_counts.for_service(service.key), quotes, rules)
        for service in board.service_figures
    )
    general_quotes = {kind: quotes[(GENERAL, kind)] for kind in QUOTE_KINDS if (GENERAL, kind) in quotes}
    return replace(
        section,
        shown=True,
        splits=tuple(f for f in board.splits if _asked(f)),
        services=board.services if board.services.rows else None,
        service_sections=services,
        themes=_theme_tables(counts.overall, rules, OVERALL_THEME_TITLES, real_counts.overall),
        general_quotes=general_quotes,
        choices=tuple(f for f in board.choices if f.rows),
    )


def _service_section(
    service: ServiceFigures,
    counts: tuple[ThemeCount, ...],
    real_counts: tuple[ThemeCount, ...],
    quotes: dict,
    rules: DisclosureRules,
) -> ServiceSection:
    """One service whose number of responses is shown (``dashboard`` leaves out the rest),
    so its approved quotes may be shown too."""
    return ServiceSection(
        key=service.key,
        label=service.label,
        mentions=service.mentions,
        scales=service.scales,
        themes=_theme_tables(counts, rules, THEME_TITLES, real_counts),
        quotes={kind: quotes.get((service.key, kind), ()) for kind in QUOTE_KINDS},
    )


def _theme_tables(
    counts: tuple[ThemeCount, ...], rules: DisclosureRules, titles, real: tuple[ThemeCount, ...] | None = None
) -> tuple[ThemeTable, ...]:
    """Top themes of each kind; ``real`` (theme counts without demo responses, when they are
    counted in) decides which counts are hidden."""
    deciding = {c.theme_id: c.count for c in real} if real is not None and real is not counts else None
    tables = []
    for kind in (HELPFUL, IMPROVEMENT):
        rows = [
            ThemeRow(c.name, protect_count(c.count if deciding is None else deciding.get(c.theme_id, 0), rules, shown=c.count))
            for c in counts
            if c.kind == kind and c.count
        ]
        # Shown counts by size; hidden ones after them in name order, so the order never
        # hints at a hidden number.
        rows.sort(key=lambda r: (r.cell.suppressed, -(r.cell.value or 0), r.name.casefold()))
        tables.append(ThemeTable(str(titles[kind]), kind, tuple(rows[:TOP_THEMES]), len(rows[TOP_THEMES:])))
    return tuple(tables)


def _approved_quotes(scope: theme_counts.Scope) -> dict[tuple[str, str], tuple[str, ...]]:
    """Approved quotes from comments in scope: {(service key or GENERAL, kind): texts}."""
    fields = catalogue()
    statement = (
        select(Quote, Response.survey_slug)
        .join(Response, Response.id == Quote.response_id)
        .where(Quote.status == "approved", *theme_counts.response_conditions(scope))
        .order_by(Quote.approved_at, Quote.id)
    )
    found: dict[tuple[str, str], list[str]] = {}
    for quote, slug in db.session.execute(statement):
        where = fields.field(slug, quote.field)
        service, kind = (where.scope, where.kind) if where else (GENERAL, OTHER)
        text = _quote_text(quote)
        if text:
            found.setdefault((service, kind), []).append(text)
    return {key: tuple(texts) for key, texts in found.items()}


def _quote_text(quote: Quote) -> str | None:
    """The approved, redacted wording; a quote that does not open is left out (and logged)."""
    try:
        return quote_text(quote)
    except Unreadable:
        logger.warning("quote %s could not be opened; it is left out of the summary", quote.id)
        return None


def _demo_note(period: Period, include_demo: bool, raw_total: int) -> DemoNote:
    """Whether the period holds demo responses and whether they are in the figures; never
    how many (``DemoNote``)."""
    statement = select(func.count()).select_from(Response).where(Response.is_demo.is_(True))
    statement = statement.where(Response.survey_slug.in_(list(all_surveys())))
    if period.start is not None:
        statement = statement.where(Response.submitted_week >= period.start)
    if period.end is not None:
        statement = statement.where(Response.submitted_week <= period.end)
    demo = db.session.execute(statement).scalar_one()
    if not demo:
        return DemoNote(DEMO_NONE)
    if not include_demo:
        return DemoNote(DEMO_EXCLUDED)
    if raw_total - demo <= 0:
        return DemoNote(DEMO_ALL)
    return DemoNote(DEMO_INCLUDED)


def _asked(figure: Figure) -> bool:
    """False for a split none of the audience's surveys asks (only "not asked" rows)."""
    return any(row.key not in (NOT_ANSWERED, NOT_ASKED) for row in figure.rows)


def _audience_title(audience: str) -> str:
    return str(AUDIENCE_TITLES.get(audience, audience))


# -- the same figures and quotes as rows, for the CSV and the spreadsheet ----------------


@dataclass(frozen=True)
class ExportRow:
    """One line of a table, exactly as the page shows it."""

    audience: str
    section: str  # a service, or "" (the whole audience)
    table: str
    answer: str  # the row's label; for a table the page withholds, the page's sentence
    number: int | str | None  # the count, the words shown instead ("fewer than 5"), None for a sentence
    percent: int | None = None  # the percentage shown, in whole per cent as on the page (None: not shown)


@dataclass(frozen=True)
class QuoteRow:
    """One approved quote, where the page shows it."""

    audience: str
    service: str  # the service's label, or "" for a comment not about one service
    kind: str  # HELPFUL | IMPROVEMENT | OTHER (the question it answers)
    text: str  # the approved, redacted wording (neutralised when written to a file)


def export_rows(report: Summary) -> Iterator[ExportRow]:
    """Every table of the summary, row by row, exactly as protected on the page: responses
    by audience, then each audience the page breaks down."""
    yield from responses_rows(report)
    for audience in report.audiences:
        yield from audience_rows(audience)


def responses_rows(report: Summary) -> Iterator[ExportRow]:
    """Responses by audience, with the total."""
    yield from _figure_rows(gettext("All audiences"), "", report.responses)


def audience_rows(audience: AudienceSection) -> Iterator[ExportRow]:
    """One audience's tables in the page's order; none for an audience too small to break
    down (the page shows only its number of responses)."""
    if not audience.shown:
        return
    title = audience.title
    for figure in audience.splits:
        yield from _figure_rows(title, "", figure)
    if audience.services is not None:
        yield from _figure_rows(title, "", audience.services)
    for service in audience.service_sections:
        yield _row(title, service.label, gettext("Responses about this service"), service.label, service.mentions)
        for figure in service.scales:
            yield from _figure_rows(title, service.label, figure)
        for table in service.themes:
            yield from _theme_rows(title, service.label, table)
    for table in audience.themes:
        yield from _theme_rows(title, "", table)
    for figure in audience.choices:
        yield from _figure_rows(title, "", figure)


def quote_rows(report: Summary) -> Iterator[QuoteRow]:
    """The approved quotes the page shows, in its order: each service's (what helped, what
    could improve, other comments), then those not about one service, audience by audience."""
    for audience in report.audiences:
        for service in audience.service_sections:
            for kind in QUOTE_KINDS:
                for text in service.quotes.get(kind, ()):
                    yield QuoteRow(audience.title, service.label, kind, text)
        for kind in QUOTE_KINDS:
            for text in audience.general_quotes.get(kind, ()):
                yield QuoteRow(audience.title, "", kind, text)


def whole_percent(share: float) -> int:
    """``share`` in whole per cent, rounded as the page's percentage is (Babel rounds the
    decimal value half to even: 0.125 is "12%", 0.135 is "14%")."""
    return int(Decimal(str(share)).scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _figure_rows(audience: str, section: str, figure: Figure) -> Iterator[ExportRow]:
    if figure.withheld:  # the page shows neither its rows nor its total
        yield ExportRow(audience, section, figure.title, gettext("Not shown: the numbers are too small to show safely."), None)
        return
    for row in figure.rows:
        yield _row(audience, section, figure.title, row.label, row.cell)
    total_label = gettext("People who answered") if figure.multi else gettext("Total")
    yield _row(audience, section, figure.title, total_label, figure.total, with_percent=False)


def _theme_rows(audience: str, section: str, table: ThemeTable) -> Iterator[ExportRow]:
    for row in table.rows:
        yield _row(audience, section, table.title, row.name, row.cell, with_percent=False)


def shown_number(cell: Cell) -> int | str:
    """A cell's count as a number, or the words the page shows instead ("fewer than 5")."""
    return cell.shown if cell.suppressed or cell.value is None else cell.value


def _row(audience: str, section: str, table: str, answer: str, cell: Cell, with_percent: bool = True) -> ExportRow:
    number = shown_number(cell)
    shown = with_percent and cell.percent is not None and cell.share is not None
    return ExportRow(audience, section, table, answer, number, percent=whole_percent(cell.share) if shown else None)
