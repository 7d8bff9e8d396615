"""The coordinator's dashboard figures, with disclosure control applied.

This is the one place where raw counts (``counting.compute``) become numbers that may be
shown: every count and percentage on the dashboard is a ``disclosure.Cell`` made here.
Labels are translated here too (choice labels through ``i18n.survey_text``). How a number reads
(digits, percentages, "fewer than 5") comes with the ``DisclosureRules`` the caller passes
(``coordinator.presenters``), and figures are named by keys: HTML ids are the presenter's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import current_app
from flask_babel import lazy_gettext as _l

from ...i18n import survey_text
from . import counting, periods, query_sets
from .counting import NOT_ANSWERED, NOT_ASKED, Aggregates, Breakdown
from .disclosure import (
    NARROWED,
    Cell,
    DisclosureRules,
    ProtectedTable,
    narrowed_cell,
    protect_count,
    protect_table,
    withheld_table,
)
from .filters import Filters
from .query_sets import ANSWERED, TOTAL, CellKey

FIXED_LABELS = {NOT_ANSWERED: _l("Not answered"), NOT_ASKED: _l("Not asked in that survey")}

TITLES = {
    "survey": _l("Responses by survey"),
    "gender": _l("Gender"),
    "age": _l("Age"),
    "services": _l("Services mentioned most"),
    "preferred_support": _l("How people would prefer to get support"),
    "seek_support": _l("What would make people more likely to seek support"),
    "trend": _l("Responses by quarter"),
    "listened": _l("Felt listened to and understood"),
    "safer": _l("Felt safer because of their support"),
}
ROW_HEADERS = {"survey": _l("Survey"), "trend": _l("Quarter"), "services": _l("Service")}
ANSWER = _l("Answer")


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class Figure:
    """One protected table (and, where charted, the same numbers as bars)."""

    key: str  # the question ("gender", "listened"), or "survey", "services", "trend", "responses"
    title: str
    row_header: str  # heading of the first column: "Answer", "Quarter", ...
    rows: tuple[FigureRow, ...]
    total: Cell
    multi: bool = False
    withheld: bool = False
    protecting: bool = False  # some cell hidden so that a small one cannot be worked out
    narrowed: bool = False  # some number hidden because a wider view would give it away


@dataclass(frozen=True)
class ServiceFigures:
    key: str
    label: str
    mentions: Cell
    scales: tuple[Figure, ...]


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    total: Cell
    unreadable: int
    demo: int  # demo responses in the figures (not survivor data; never protected)
    threshold: int
    percent_base_min: int
    by_survey: Figure | None
    splits: tuple[Figure, ...]
    services: Figure
    service_figures: tuple[ServiceFigures, ...]
    choices: tuple[Figure, ...]
    trend: Figure | None

    @property
    def empty(self) -> bool:
        return self.total.value == 0

    @property
    def too_few(self) -> bool:
        """Too few responses to break down at all (or ``narrowed``)."""
        return self.total.suppressed

    @property
    def narrowed(self) -> bool:
        """Nothing shown: a wider view minus this one would count 1 to threshold - 1 people."""
        return self.total.reason == NARROWED


def disclosure_rules(**wording) -> DisclosureRules:
    """The configured thresholds. ``wording`` says how a cell reads (``format_count``,
    ``format_percent``, ``fewer_than``, ``not_shown``: see ``DisclosureRules``); without it,
    plain digits and English words."""
    config = current_app.config
    return DisclosureRules(
        threshold=int(config.get("DISCLOSURE_THRESHOLD", 5)),
        percent_base_min=int(config.get("PERCENT_BASE_MIN", 10)),
        **wording,
    )


def dashboard(filters: Filters, rules: DisclosureRules) -> Dashboard:
    """The figures for ``filters``, protected under ``rules`` (query-set control included:
    ``query_sets``), ready to show. A custom range is widened to whole quarters."""
    filters = for_figures(filters)
    return protect(
        counting.compute(filters),
        rules,
        real=real_figures(filters),
        narrowed=query_sets.narrowed_cells(filters, rules.threshold),
    )


def for_figures(filters: Filters) -> Filters:
    """``filters`` as figures are given for: periods of whole quarters only."""
    return replace(filters, period=periods.whole_quarters(filters.period))


def real_figures(filters: Filters) -> Aggregates | None:
    """The same figures without demo responses, when ``filters`` counts them in: what may be
    shown is decided on real responses only (``disclosure``, "Demo responses")."""
    if not filters.include_demo:
        return None
    return counting.compute(replace(filters, include_demo=False))


def protect(
    figures: Aggregates,
    rules: DisclosureRules,
    real: Aggregates | None = None,
    narrowed: frozenset[CellKey] = frozenset(),
) -> Dashboard:
    """``figures`` made safe to show. With ``real`` (the same figures without demo
    responses), real responses decide what is hidden and ``figures`` give the numbers.
    ``narrowed`` (``query_sets.narrowed_cells``) names cells a wider view would give away."""
    decide = _Decider(real, narrowed)
    if TOTAL in narrowed:
        return _narrowed_view(figures, rules)
    services = _multi_figure("services", figures.services, rules, decide)
    by_survey = (
        _figure(
            "survey", figures.by_survey, rules, decide=decide.breakdown(figures.by_survey), narrowed=decide.hidden("survey")
        )
        if len(figures.by_survey.rows) > 1
        else None
    )
    hidden_surveys = {row.key for row in by_survey.rows if row.cell.suppressed} if by_survey else set()
    return Dashboard(
        filters=figures.filters,
        total=protect_count(decide.total(figures.total), rules, shown=figures.total),
        unreadable=figures.unreadable,
        demo=figures.demo,
        threshold=rules.threshold,
        percent_base_min=rules.percent_base_min,
        by_survey=by_survey,
        splits=tuple(_split_figure(b, rules, hidden_surveys, decide) for b in figures.splits),
        services=services,
        service_figures=_service_figures(figures, services, rules, decide),
        choices=tuple(_multi_figure(b.question, b, rules, decide) for b in figures.choices),
        trend=_trend(figures, rules, decide),
    )


def _narrowed_view(figures: Aggregates, rules: DisclosureRules) -> Dashboard:
    """A view whose total a wider view would give away: nothing of it is shown."""
    return Dashboard(
        filters=figures.filters,
        total=narrowed_cell(rules),
        unreadable=figures.unreadable,
        demo=figures.demo,
        threshold=rules.threshold,
        percent_base_min=rules.percent_base_min,
        by_survey=None,
        splits=(),
        services=_from_table(
            "services",
            str(TITLES["services"]),
            withheld_table([row.key for row in figures.services.rows], rules, narrowed_cell(rules), additive=False),
            {row.key: _label(row) for row in figures.services.rows},
            sort=False,
        ),
        service_figures=(),
        choices=(),
        trend=None,
    )


class _Decider:
    """The real-response counterpart of each figure (None: the figures are real already),
    and the cells a wider view would give away."""

    def __init__(self, real: Aggregates | None, narrowed: frozenset[CellKey] = frozenset()):
        self.real = real
        self.narrowed = narrowed
        if real is None:
            return
        self._by_question = {b.question: b for b in (real.by_survey, real.services, *real.splits, *real.choices)}
        self._feedback = {f.key: f for f in real.service_feedback}

    def total(self, total: int) -> int:
        return total if self.real is None else self.real.total

    def breakdown(self, breakdown: Breakdown) -> Breakdown | None:
        return None if self.real is None else self._by_question.get(breakdown.question) or _empty(breakdown)

    def scale(self, service: str, scale: Breakdown) -> Breakdown | None:
        if self.real is None:
            return None
        feedback = self._feedback.get(service)
        found = next((b for b in feedback.scales if b.question == scale.question), None) if feedback else None
        return found or _empty(scale)

    def trend(self) -> dict[str, int] | None:
        return None if self.real is None else {q.period.token: q.count for q in self.real.trend}

    def hidden(self, *table: str) -> set:
        """The row keys of one table (named like ``query_sets.cells`` names it) to hide."""
        size = len(table)
        return {key[size] for key in self.narrowed if len(key) == size + 1 and key[:size] == table}


def _empty(breakdown: Breakdown) -> Breakdown:
    return replace(breakdown, rows=(), total=0)


def _multi_figure(key: str, breakdown: Breakdown, rules: DisclosureRules, decide: _Decider) -> Figure:
    """A table of a multi-choice question (or of services mentioned), most chosen first."""
    return _figure(
        key,
        breakdown,
        rules,
        sort=True,
        decide=decide.breakdown(breakdown),
        narrowed=decide.hidden(breakdown.question) - {ANSWERED},
        withhold=(breakdown.question, ANSWERED) in decide.narrowed,
    )


def _split_figure(breakdown: Breakdown, rules: DisclosureRules, hidden_surveys: set[str], decide: _Decider) -> Figure:
    """A split's "not asked" row is the sum of the surveys that do not ask it, which the
    table of responses by survey shows: it is hidden here when one of those is hidden there,
    and is never the cell hidden to protect another (the other table gives it away)."""
    linked = NOT_ASKED if breakdown.not_asked_by else None
    hide = (linked,) if linked and hidden_surveys & set(breakdown.not_asked_by) else ()
    return _figure(
        breakdown.question,
        breakdown,
        rules,
        hide=hide,
        published=(linked,) if linked else (),
        decide=decide.breakdown(breakdown),
        narrowed=decide.hidden(breakdown.question),
    )


def _figure(
    key: str,
    breakdown: Breakdown,
    rules: DisclosureRules,
    *,
    sort: bool = False,
    hide=(),
    published=(),
    decide: Breakdown | None = None,
    narrowed=(),
    withhold: bool = False,
) -> Figure:
    """One protected table. With ``decide`` (the real-response breakdown), it decides what
    is hidden and ``breakdown`` gives the numbers. ``narrowed``/``withhold``: see
    ``disclosure.protect_table``."""
    counts = [(row.key, row.count) for row in breakdown.rows]
    shown = None
    total = breakdown.total
    if decide is not None:
        real = {row.key: row.count for row in decide.rows}
        shown, counts, total = dict(counts), [(key, real.get(key, 0)) for key, _count in counts], decide.total
    table = protect_table(
        counts,
        rules,
        total=total,
        additive=not breakdown.multi,
        hide=hide,
        published=published,
        shown=shown,
        shown_total=breakdown.total if shown is not None else None,
        narrowed=narrowed,
        withhold=withhold,
    )
    labels = {row.key: _label(row) for row in breakdown.rows}
    return _from_table(key, str(TITLES.get(breakdown.question, breakdown.question)), table, labels, sort)


def _from_table(key: str, title: str, table: ProtectedTable, labels: dict, sort: bool) -> Figure:
    rows = [FigureRow(key, labels[key], cell) for key, cell in table.items()]
    if sort:
        # Order by what is shown only: hidden cells go last, in their usual order, so the
        # order never hints at their size.
        rows.sort(key=lambda r: (r.cell.suppressed, -(r.cell.value or 0)))
    return Figure(
        key=key,
        title=title,
        row_header=str(ROW_HEADERS.get(key, ANSWER)),
        rows=tuple(rows),
        total=table.total,
        multi=not table.additive,
        withheld=table.withheld,
        protecting=table.any_protecting,
        narrowed=table.any_narrowed,
    )


def _label(row: counting.Row) -> str:
    if row.key in FIXED_LABELS:
        return str(FIXED_LABELS[row.key])
    return survey_text(row.label)


def _service_figures(
    figures: Aggregates, services: Figure, rules: DisclosureRules, decide: _Decider
) -> tuple[ServiceFigures, ...]:
    """Feedback per service, for services whose count is shown, most mentioned first."""
    by_key = {feedback.key: feedback for feedback in figures.service_feedback}
    shown = []
    for row in services.rows:
        if row.cell.suppressed or not row.cell.value:
            continue
        feedback = by_key[row.key]
        scales = tuple(
            _figure(
                scale.question,
                scale,
                rules,
                decide=decide.scale(feedback.key, scale),
                narrowed=decide.hidden("scale", feedback.key, scale.question),
            )
            for scale in feedback.scales
        )
        shown.append(ServiceFigures(feedback.key, row.label, row.cell, scales))
    return tuple(shown)


def _trend(figures: Aggregates, rules: DisclosureRules, decide: _Decider) -> Figure | None:
    if not figures.trend:
        return None
    counts = [(q.period.token, q.count) for q in figures.trend]
    real = decide.trend()
    narrowed = decide.hidden("trend")
    if real is None:
        table = protect_table(counts, rules, total=figures.total, narrowed=narrowed)
    else:
        table = protect_table(
            [(token, real.get(token, 0)) for token, _count in counts],
            rules,
            total=decide.total(figures.total),
            shown=dict(counts),
            shown_total=figures.total,
            narrowed=narrowed,
        )
    labels = {q.period.token: q.period.label for q in figures.trend}
    return _from_table("trend", str(TITLES["trend"]), table, labels, sort=False)
