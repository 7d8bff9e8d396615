"""Raw counts for the coordinator's dashboard, computed from decrypted responses.

``compute(filters)`` selects rows by metadata in SQL and has the sealed-response store
(``responses.store.read_facts``) open each one's *facts* (its chosen answers as tokens,
``services.responses.facts``) and keep those that pass the answer-based filters; this
module counts the tokens, and the figures are worked out from those counts at the end. Rows
stored before facts existed get facts worked out from their answers, in the store. The
result holds raw counts: it must go through disclosure control (``figures.dashboard``)
before anything is shown to anyone.

A row that does not open (``Unreadable``: keys or data damaged) is counted in
``unreadable`` and reported, never skipped in silence and never an error page.

Free text is never read here: only choice ids that the survey definitions know are counted
(anything else counts as "not answered").
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ...surveys import Survey
from ..responses import facts as response_facts
from ..responses.store import FactBatch, Unreadable, read_facts
from . import periods, stamp
from .cache import aggregate_cache
from .filters import (
    Filters,
    Option,
    asks,
    required_facts,
    service_key,
    service_questions,
    split_service_key,
    surveys_in_scope,
    union_choices,
    union_services,
    where_metadata,
)

logger = logging.getLogger("feedback_app.aggregates")

NOT_ANSWERED = "_not_answered"
NOT_ASKED = "_not_asked"

# What the dashboard reports (mirrors the partnership's annual report).
SPLIT_QUESTIONS = ("gender", "age")  # one answer each: every response in one row
SCALE_QUESTIONS = ("listened", "safer")  # asked for each service chosen
CHOICE_QUESTIONS = ("preferred_support", "seek_support")  # tick all that apply


@dataclass(frozen=True)
class Row:
    key: str  # a choice id, a service key, a survey slug, NOT_ANSWERED or NOT_ASKED
    label: str  # English master wording ("" for NOT_ANSWERED / NOT_ASKED)
    count: int


@dataclass(frozen=True)
class Breakdown:
    """How many gave each answer to one question.

    Single-answer (``multi=False``): every response in scope is in exactly one row, so the
    rows add up to ``total``. Multi-choice: ``total`` is how many ticked at least one.
    """

    question: str
    rows: tuple[Row, ...]
    total: int
    multi: bool = False
    not_asked_by: tuple[str, ...] = ()  # slugs of surveys in the NOT_ASKED row

    def count(self, key: str) -> int:
        return next((row.count for row in self.rows if row.key == key), 0)


@dataclass(frozen=True)
class ServiceFeedback:
    key: str
    label: str
    mentions: int
    scales: tuple[Breakdown, ...]  # "listened", "safer" where asked; rows add up to mentions


@dataclass(frozen=True)
class QuarterCount:
    period: periods.Period
    count: int


@dataclass(frozen=True)
class Aggregates:
    filters: Filters
    total: int
    unreadable: int
    demo: int  # how many of ``total`` are demo responses
    by_survey: Breakdown
    splits: tuple[Breakdown, ...]  # gender, age
    services: Breakdown  # multi: services (and young people's supporters) mentioned
    service_feedback: tuple[ServiceFeedback, ...]  # in the order of ``services`` rows
    choices: tuple[Breakdown, ...]  # preferred ways of support, what would help
    trend: tuple[QuarterCount, ...]


def compute(filters: Filters) -> Aggregates:
    """The figures for ``filters``, from the cache while the responses have not changed."""
    current = stamp.read()
    if current is None:  # a change is being written: right now, but not to be kept
        return compute_uncached(filters)
    return aggregate_cache().get_or_compute((filters, current), lambda: compute_uncached(filters))


def compute_uncached(filters: Filters) -> Aggregates:
    surveys = surveys_in_scope(filters)
    tally = _Tally(surveys)
    if surveys:
        slugs = [s.slug for s in surveys]

        def narrow(statement):
            return where_metadata(statement, filters, slugs)

        read_facts(surveys, narrow, tally.count, required=required_facts(filters))
    return tally.result(filters)


def from_counted(
    filters: Filters, tokens: Mapping[str, Counter[bytes]], responses: Mapping[str, int], weeks: Mapping[date, int]
) -> Aggregates:
    """The figures ``compute`` gives for ``filters``, from responses counted elsewhere
    (``totals``, a quarter at a time): ``tokens`` their fact tokens and ``responses`` how
    many, per survey, ``weeks`` how many per week (any day of its quarter will do)."""
    tally = _Tally(surveys_in_scope(filters))
    for slug in tally.surveys:
        if responses.get(slug):
            tally.tokens[slug].update(tokens.get(slug, ()))
            tally.by_survey[slug] = responses[slug]
    tally.raw_weeks.update(weeks)
    return tally.result(filters)


def _week(raw) -> date:
    return date.fromisoformat(raw) if isinstance(raw, str) else raw


@dataclass(frozen=True)
class _ServicePlan:
    question: str  # "services", "supporters"
    choices: tuple[str, ...]
    scales: tuple[tuple[str, frozenset[str]], ...]  # ("listened", {"yes", ...}) where asked


@dataclass(frozen=True)
class _SurveyPlan:
    """What to count in one survey's answers, worked out once per computation."""

    splits: tuple[tuple[str, frozenset[str] | None], ...]  # None: not asked
    choices: tuple[tuple[str, tuple[str, ...]], ...]  # only those asked
    services: tuple[_ServicePlan, ...]

    @classmethod
    def of(cls, survey: Survey) -> _SurveyPlan:
        splits = tuple(
            (qid, frozenset(q.choice_ids) if (q := asks(survey, qid)) else None) for qid in SPLIT_QUESTIONS
        )
        choices = tuple((qid, q.choice_ids) for qid in CHOICE_QUESTIONS if (q := asks(survey, qid)))
        services = tuple(
            _ServicePlan(
                question.id,
                question.choice_ids,
                tuple(
                    (qid, frozenset(scale.choice_ids))
                    for qid in SCALE_QUESTIONS
                    if (scale := _repeated_question(survey, question.id, qid)) is not None
                ),
            )
            for question in service_questions(survey)
        )
        return cls(splits, choices, services)


class _Tally:
    """Facts counted per survey, one response at a time; figures worked out at the end."""

    def __init__(self, surveys: list[Survey]) -> None:
        self.surveys = {s.slug: s for s in surveys}
        self.plans = {s.slug: _SurveyPlan.of(s) for s in surveys}
        self.tokens: dict[str, Counter[bytes]] = {s.slug: Counter() for s in surveys}
        self.by_survey: Counter[str] = Counter()
        self.raw_weeks: Counter = Counter()
        self.demo = 0
        self.unreadable_count = 0
        self.unreadable_examples: list[str] = []

    def unreadable(self, response_id, error: Unreadable) -> None:
        self.unreadable_count += 1
        if len(self.unreadable_examples) < 5:
            self.unreadable_examples.append(f"{response_id} ({error.reason})")

    def count(self, batch: FactBatch) -> None:
        """Add one batch of facts: its tokens per survey, surveys, weeks and demo flags are
        counted in C, once per batch (the store's reader does the per-response work)."""
        for slug, found in batch.tokens.items():
            self.tokens[slug].update(found)
        self.by_survey.update(batch.surveys)
        self.raw_weeks.update(batch.weeks)
        self.demo += sum(batch.demo)
        for response_id, error in batch.unreadable:
            self.unreadable(response_id, error)

    def _derive(self) -> None:
        """Turn the counted facts into the counters the figures are built from."""
        self.total = sum(self.by_survey.values())
        self.weeks: Counter[date] = Counter()
        for raw_week, count in self.raw_weeks.items():
            self.weeks[_week(raw_week)] += count
        self.single = {q: Counter() for q in SPLIT_QUESTIONS}
        self.multi = {q: Counter() for q in CHOICE_QUESTIONS}
        self.multi_answered: Counter[str] = Counter()
        self.mentions: Counter[str] = Counter()
        self.mentioned_any = 0
        self.scales: dict[tuple[str, str], Counter] = {}
        for slug, responses in self.by_survey.items():
            counts, plan = self.tokens[slug], self.plans[slug]
            for qid, known in plan.splits:
                if known is None:
                    self.single[qid][NOT_ASKED] += responses
                    continue
                answered = _add_known(self.single[qid], counts, qid, known)
                self.single[qid][NOT_ANSWERED] += responses - answered
            for qid, choice_ids in plan.choices:
                _add_known(self.multi[qid], counts, qid, choice_ids)
                self.multi_answered[qid] += counts[_any(qid)]
            for service in plan.services:
                self.mentioned_any += counts[_any(service.question)]
                for choice_id in service.choices:
                    mentions = counts[_fact(service.question, choice_id)]
                    if not mentions:
                        continue
                    key = service_key(service.question, choice_id)
                    self.mentions[key] += mentions
                    for qid, known in service.scales:
                        counter = self.scales.setdefault((key, qid), Counter())
                        answered = _add_known(counter, counts, f"{qid}.{choice_id}", known)
                        counter[NOT_ANSWERED] += mentions - answered

    def result(self, filters: Filters) -> Aggregates:
        self._derive()
        if self.unreadable_count:
            logger.warning(
                "%d responses could not be opened, e.g. %s",
                self.unreadable_count,
                ", ".join(self.unreadable_examples),
            )
        surveys = list(self.surveys.values())
        return Aggregates(
            filters=filters,
            total=self.total,
            unreadable=self.unreadable_count,
            demo=self.demo,
            by_survey=Breakdown(
                "survey",
                tuple(Row(s.slug, s.title, self.by_survey[s.slug]) for s in surveys),
                self.total,
            ),
            splits=tuple(self._split(qid, surveys) for qid in SPLIT_QUESTIONS),
            services=self._services(surveys),
            service_feedback=self._service_feedback(surveys),
            choices=tuple(self._choices(qid, surveys) for qid in CHOICE_QUESTIONS),
            trend=self._trend(filters.period),
        )

    def _split(self, qid: str, surveys: list[Survey]) -> Breakdown:
        counts = self.single[qid]
        rows = [Row(o.value, o.label, counts[o.value]) for o in union_choices(surveys, qid)]
        rows.append(Row(NOT_ANSWERED, "", counts[NOT_ANSWERED]))
        not_asked_by = tuple(s.slug for s in surveys if asks(s, qid) is None)
        if not_asked_by:
            rows.append(Row(NOT_ASKED, "", counts[NOT_ASKED]))
        return Breakdown(qid, tuple(rows), self.total, not_asked_by=not_asked_by)

    def _choices(self, qid: str, surveys: list[Survey]) -> Breakdown:
        counts = self.multi[qid]
        rows = tuple(Row(o.value, o.label, counts[o.value]) for o in union_choices(surveys, qid))
        return Breakdown(qid, rows, self.multi_answered[qid], multi=True)

    def _services(self, surveys: list[Survey]) -> Breakdown:
        rows = tuple(Row(o.value, o.label, self.mentions[o.value]) for o in union_services(surveys))
        return Breakdown("services", rows, self.mentioned_any, multi=True)

    def _service_feedback(self, surveys: list[Survey]) -> tuple[ServiceFeedback, ...]:
        feedback = []
        for option in union_services(surveys):
            mentions = self.mentions[option.value]
            scales = tuple(
                breakdown
                for qid in SCALE_QUESTIONS
                if (breakdown := self._scale(option, qid, mentions, surveys)) is not None
            )
            feedback.append(ServiceFeedback(option.value, option.label, mentions, scales))
        return tuple(feedback)

    def _scale(self, option: Option, qid: str, mentions: int, surveys: list[Survey]) -> Breakdown | None:
        question_id, choice_id = split_service_key(option.value)
        offering = [
            s for s in surveys if any(q.id == question_id and choice_id in q.choice_ids for q in service_questions(s))
        ]
        asked = [q for s in offering if (q := _repeated_question(s, question_id, qid)) is not None]
        if not asked:
            return None
        counts = self.scales.get((option.value, qid), Counter())
        choices: dict[str, str] = {}
        for question in asked:
            for choice in question.choices:
                choices.setdefault(choice.id, choice.label)
        rows = [Row(cid, label, counts[cid]) for cid, label in choices.items()]
        rows.append(Row(NOT_ANSWERED, "", counts[NOT_ANSWERED]))
        if len(asked) < len(offering):
            rows.append(Row(NOT_ASKED, "", mentions - sum(counts.values())))
        return Breakdown(qid, tuple(rows), mentions)

    def _trend(self, period: periods.Period) -> tuple[QuarterCount, ...]:
        if not self.weeks:
            return ()
        first = period.start or min(self.weeks)
        last = period.end or max(self.weeks)
        by_quarter: Counter[periods.Period] = Counter()
        for week, count in self.weeks.items():
            by_quarter[periods.quarter_of(week)] += count
        return tuple(QuarterCount(q, by_quarter[q]) for q in periods.quarters_between(first, last))


def _fact(answer_name: str, choice_id: str) -> bytes:
    return response_facts.token_bytes(response_facts.single_token(answer_name, choice_id))


def _any(answer_name: str) -> bytes:
    return response_facts.token_bytes(response_facts.answered_any_token(answer_name))


def _add_known(counter: Counter, counts: Counter[bytes], answer_name: str, choice_ids: Iterable[str]) -> int:
    """Add the counted facts for each known choice of one answer; return how many in all."""
    added = 0
    for choice_id in choice_ids:
        count = counts[_fact(answer_name, choice_id)]
        if count:
            counter[choice_id] += count
            added += count
    return added


def _repeated_question(survey: Survey, repeat_for: str, question_id: str):
    """``question_id`` if the survey asks it in a step repeated for ``repeat_for``."""
    for step in survey.steps:
        if step.repeat_for == repeat_for:
            for question in step.questions:
                if question.id == question_id and question.type == "single":
                    return question
    return None
