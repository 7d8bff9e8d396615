"""How fast the coordinator's dashboard figures and the raw CSV export are, with sealed answers.

Run from the project root::

    .venv/bin/python -m bench.aggregates [--sizes 10000,100000,1000000] [--databases sqlite,postgresql]
                                         [--rounds R] [--large-rounds R]

For each database (a throwaway SQLite file; a throwaway PostgreSQL database, see
``bench.common.throwaway_database``) the responses table grows to each size in turn (10k,
then 100k, then 1M by default: each step adds the difference) and is measured at each size.

Setup (not measured, its time is printed): a pool of a few thousand distinct answer sets is
made with ``demo_data.random_answers`` (all three surveys, en/pl/lt free text, some
questions skipped); every row then takes one of them and is sealed for real by
``build_response`` with its own fresh id (payload *and* facts, each bound to that id), with a
week spread over two years (104 Mondays). The applications of the databases share one
keyring, so each row is built once and bulk-inserted into every database (SQLite: the
driver's executemany, one transaction per step; PostgreSQL: ``COPY``). The same answers go,
unencrypted, into a plaintext reference schema in the same database:

* ``plain_responses``: the metadata plus one column per top-level single-choice answer
  (age, gender, area; NULL = not answered);
* ``plain_choices(response_id, question, choice)``: one row per multi-choice tick
  (services, supporters, seek_support, preferred_support);
* ``plain_service_answers(response_id, question, choice, listened, safer)``: one row per
  service (or supporter) chosen, with that service's single-choice answers as columns.

Free text is not copied into the reference (nothing measured reads it). The reference is a
narrow, indexed, normalised design: a strong baseline, not a straw man.

Measured at each size (median of rounds; the order of the sides rotates round by round):

1. dashboard, cold: ``aggregates.compute_uncached(Filters())`` (all responses, all time),
   and the page path ``dashboard.dashboard(Filters(), rules)`` with the per-process cache cleared
   (stamp reads + computation + disclosure control);
2. dashboard, warm: ``dashboard.dashboard(Filters(), rules)`` again, served from the cache (still
   reads the responses' stamp, ``figures.stamp.read()``, once per ``compute``, and runs
   disclosure control), median of several calls. Beside it, in the same round, the same warm
   dashboard keyed by the stamp used before migration 0005 (``OLD_STAMP``: ``count(*)`` and
   ``max(submitted_week)`` over responses, patched in for ``stamp.read``), and each stamp on
   its own;
3. plaintext reference: the GROUP BY queries that give the same figures from the plaintext
   schema (total and by survey, gender, age, services mentioned, "listened"/"safer" per
   service, preferred_support, seek_support, responses per week -> quarter). Its figures
   are compared with ``compute_uncached``'s: "agrees" says they are the same counts;
4. filtered cold computations beside their reference: one financial-year quarter (filtered
   in SQL), and ``service="services.police"`` (an answer filter: every adult response opened);
5. board summary (``reports.board.board``) for one financial-year quarter, every audience,
   demo responses counted: cold (the per-process cache cleared: the dashboard's figures for
   the quarter and the quarter before, each with and without demo responses, the area
   cross-tab's reading of the quarter's facts, modes by SQL, theme counts, disclosure control
   and two-way protection) and warm (the same call again), beside a plaintext reference (the
   dashboard's GROUP BY queries for both quarters, and area and mode by survey by GROUP BY);
6. CSV export: ``raw_export.iter_raw_csv(Filters())`` consumed fully (chunks encoded to
   UTF-8 and counted, as a streamed response would send them), beside a plaintext reference
   export (the plain tables streamed with ``yield_per``, children fetched per batch,
   through ``csv.writer``, the same columns and order). Timed in untraced passes; peak
   memory in a separate pass under ``tracemalloc`` (Python allocations; for the reference
   only below ``--large-from``, to keep the run short), and the growth of the process's
   resident set (VmRSS, sampled while streaming, after ``malloc_trim``) over what it was
   before.

Targets: at 100k responses a cold dashboard <= 1 s and <= 5x the plaintext reference;
a warm dashboard <= 50 ms (checked at every size); the export's peak memory flat from the
smallest to the largest size (largest <= 2x smallest). Nothing is asserted: the script
prints tables and VERDICT lines. With the defaults both databases took 30 minutes on a busy
2-core machine: at 1M, about 4 minutes of setup and 9 per database, most of it the export
passes (the tracemalloc pass is the slowest). ``--large-rounds 1`` or ``--no-export`` shorten it.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import io
import os
import random
import resource
import sys
import time
import tracemalloc
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    distinct,
    exists,
    func,
    select,
    text,
)

from bench.common import (
    dispose_engines,
    heading,
    make_app,
    median,
    migrate_schema,
    print_table,
    print_versions,
    rate,
    throwaway_database,
)

TARGET_SIZE = 100_000  # the cold targets are checked here
TARGET_COLD_SECONDS = 1.0
TARGET_COLD_RATIO = 5.0
TARGET_WARM_SECONDS = 0.050
TARGET_MEMORY_GROWTH = 2.0  # largest size's export peak <= 2x the smallest size's

LAST_WEEK = date(2026, 11, 16)  # a Monday; rows spread over the 104 weeks up to it
WEEKS = [LAST_WEEK - timedelta(weeks=i) for i in range(104)]
BATCH = 10_000  # rows built and inserted at a time during setup
WARM_CALLS = 9
MB = 1024 * 1024


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- the plaintext reference schema -----------------------------------------------------------
PLAIN = MetaData()
plain_responses = Table(
    "plain_responses",
    PLAIN,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("survey_slug", String(40), nullable=False),
    Column("survey_version", Integer, nullable=False),
    Column("language", String(16), nullable=False),
    Column("collection_mode", String(16), nullable=False),
    Column("organisation", String(120)),
    Column("submitted_week", Date, nullable=False),
    Column("is_demo", Boolean, nullable=False),
    Column("age", String(40)),
    Column("gender", String(40)),
    Column("area", String(40)),
    Index("ix_plain_responses_week", "submitted_week"),
    Index("ix_plain_responses_slug", "survey_slug"),
)
plain_choices = Table(
    "plain_choices",
    PLAIN,
    Column("response_id", Integer, primary_key=True, autoincrement=False),
    Column("question", String(40), primary_key=True),
    Column("choice", String(40), primary_key=True),
    Index("ix_plain_choices_choice", "question", "choice"),
)
plain_service_answers = Table(
    "plain_service_answers",
    PLAIN,
    Column("response_id", Integer, primary_key=True, autoincrement=False),
    Column("question", String(40), primary_key=True),  # "services", "supporters"
    Column("choice", String(40), primary_key=True),  # "police", "school"
    Column("listened", String(40)),
    Column("safer", String(40)),
)
SINGLE_COLUMNS = ("age", "gender", "area")
SCALES = ("listened", "safer")


# -- the answer pool ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PoolItem:
    slug: str
    version: int
    language: str
    mode: str
    organisation: str | None
    answers: dict
    singles: tuple  # age, gender, area (None: not answered or not asked)
    choices: tuple[tuple[str, str], ...]  # (question, choice) per multi-choice tick
    services: tuple[tuple[str, str, str | None, str | None], ...]  # (question, choice, listened, safer)


def plain_parts(survey, answers: dict) -> tuple[tuple, tuple, tuple]:
    """The plaintext schema's view of one answer set (known choices only, as the app counts)."""
    from feedback_app.services.figures.filters import asks, service_questions

    singles = []
    for qid in SINGLE_COLUMNS:
        question = asks(survey, qid)
        value = answers.get(qid)
        singles.append(value if question and value in question.choice_ids else None)
    choices = []
    for step in survey.steps:
        if step.repeat_for:
            continue
        for question in step.questions:
            if question.type == "multi" and isinstance(answers.get(question.id), list):
                choices.extend((question.id, cid) for cid in question.choice_ids if cid in answers[question.id])
    services = []
    for question in service_questions(survey):
        for cid in question.choice_ids:
            if cid in (answers.get(question.id) or ()):
                scale = [answers.get(f"{qid}.{cid}") for qid in SCALES]
                services.append((question.id, cid, *scale))
    return tuple(singles), tuple(choices), tuple(services)


def build_pool(seed: int, size: int) -> list[PoolItem]:
    from feedback_app.services.demo.responses import DEMO_ORGANISATIONS, LANGUAGE_WEIGHTS, random_answers
    from feedback_app.surveys.registry import all_surveys

    rng = random.Random(seed)
    surveys = list(all_surveys().values())
    weights = [0.55 if s.audience == "adult" else 0.2 if s.audience == "young_person" else 0.25 for s in surveys]
    pool = []
    for _ in range(size):
        survey = rng.choices(surveys, weights)[0]
        language = rng.choices(list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values()))[0]
        mode = rng.choices(["online", "assisted", "handed_over"], [0.6, 0.25, 0.15])[0]
        answers = random_answers(survey, rng, language)
        singles, choices, services = plain_parts(survey, answers)
        pool.append(
            PoolItem(
                slug=survey.slug,
                version=survey.version,
                language=language,
                mode=mode,
                organisation=None if mode == "online" else rng.choice(DEMO_ORGANISATIONS),
                answers=answers,
                singles=singles,
                choices=choices,
                services=services,
            )
        )
    return pool


# -- setup: growing the tables ----------------------------------------------------------------
def create_plain_tables() -> None:
    from feedback_app.extensions import db

    PLAIN.create_all(db.engine)


def sqlite_value(value):
    """A value as SQLAlchemy stores it in SQLite (``Uuid``: 32 hex digits; ``Date``: ISO text)."""
    kind = type(value)
    if kind is uuid.UUID:
        return value.hex
    if kind is date:
        return value.isoformat()
    if kind is bool:
        return int(value)
    return value


def insert_rows(connection, table, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert on the connection's driver: ``COPY`` on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    driver = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with driver.cursor() as cursor:
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        driver.cursor().executemany(statement, [tuple(map(sqlite_value, row)) for row in rows])


@dataclass
class Target:
    """One database under test, with its application (all share one keyring)."""

    label: str
    app: object
    insert_seconds: float = 0.0


@dataclass
class Grower:
    pool: list[PoolItem]
    seed: int
    count: int = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed + 1)

    def grow_to(self, target: int, targets: list[Target]) -> float:
        """Add sealed rows (and their plaintext copies) to every database until each holds
        ``target``. Rows are built once (the apps share one keyring) and inserted into each
        database in its own transaction; returns the seconds spent building, and adds each
        database's insert + ANALYZE seconds to its ``insert_seconds``."""
        from contextlib import ExitStack

        from feedback_app.extensions import db
        from feedback_app.models import Response
        from feedback_app.services.responses.submissions import build_response

        tables = [
            (Response.__table__, [column.key for column in Response.__table__.columns]),
            (plain_responses, [column.key for column in plain_responses.columns]),
            (plain_choices, [column.key for column in plain_choices.columns]),
            (plain_service_answers, [column.key for column in plain_service_answers.columns]),
        ]
        building = 0.0
        with ExitStack() as stack:
            connections = []
            for database in targets:
                with database.app.app_context():
                    db.session.remove()
                    connection = stack.enter_context(db.engine.connect())
                    connection.begin()  # so that commit() below commits the driver's inserts
                    connections.append(connection)
            while self.count < target:
                started = time.perf_counter()
                size = min(BATCH, target - self.count)
                batches: tuple[list, list, list, list] = ([], [], [], [])
                sealed, plain, choices, services = batches
                with targets[0].app.app_context():
                    for _ in range(size):
                        item = self.rng.choice(self.pool)
                        week = self.rng.choice(WEEKS)
                        response = build_response(
                            survey_slug=item.slug,
                            survey_version=item.version,
                            language=item.language,
                            collection_mode=item.mode,
                            organisation=item.organisation,
                            answers=item.answers,
                            submitted_on=week,
                            response_id=uuid.uuid4(),
                        )
                        sealed.append(tuple(getattr(response, key) for key in tables[0][1]))
                        self.count += 1
                        plain_id = self.count
                        plain.append(
                            (plain_id, item.slug, item.version, item.language, item.mode, item.organisation,
                             week, False, *item.singles)
                        )
                        choices.extend((plain_id, *choice) for choice in item.choices)
                        services.extend((plain_id, *service) for service in item.services)
                building += time.perf_counter() - started
                for database, connection in zip(targets, connections):
                    started = time.perf_counter()
                    for (table, columns), rows in zip(tables, batches):
                        insert_rows(connection, table, columns, rows)
                    database.insert_seconds += time.perf_counter() - started
                if self.count % 100_000 == 0:
                    progress(f"    {self.count:,} rows (building {building:.0f}s, inserting "
                             + ", ".join(f"{d.label} {d.insert_seconds:.0f}s" for d in targets) + ")")
            for database, connection in zip(targets, connections):
                started = time.perf_counter()
                connection.commit()
                database.insert_seconds += time.perf_counter() - started
        for database in targets:
            started = time.perf_counter()
            with database.app.app_context():
                analyse()
            database.insert_seconds += time.perf_counter() - started
        return building


PLAIN_TABLES = ("responses", "plain_responses", "plain_choices", "plain_service_answers")


def analyse(tables: tuple[str, ...] | None = PLAIN_TABLES) -> None:
    """Fresh statistics (and on PostgreSQL hint bits / visibility map) after a bulk load:
    of ``tables`` on PostgreSQL (None: the whole database)."""
    from feedback_app.extensions import db

    db.session.remove()
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        if connection.dialect.name == "postgresql":
            for name in tables or ("",):
                connection.execute(text(f"VACUUM ANALYZE {name}".strip()))
        else:
            connection.execute(text("ANALYZE"))


# -- the plaintext reference: figures by GROUP BY ---------------------------------------------
def scope_conditions(filters, slugs: list[str]) -> list:
    """WHERE conditions on ``plain_responses`` for ``filters`` (period, service, surveys)."""
    from feedback_app.services.figures.filters import split_service_key

    r = plain_responses.c
    conditions = [r.survey_slug.in_(slugs)] if set(slugs) != set(ALL_SLUGS) else []
    if filters.period.start is not None:
        conditions.append(r.submitted_week >= filters.period.start)
    if filters.period.end is not None:
        conditions.append(r.submitted_week <= filters.period.end)
    if filters.service:
        question, choice = split_service_key(filters.service)
        c = plain_choices.c
        conditions.append(
            exists().where(c.response_id == r.id, c.question == question, c.choice == choice)
        )
    return conditions


ALL_SLUGS: list[str] = []  # filled in main(): every survey
BOARD_QUARTER_LABEL: list[str] = ["?"]  # the quarter the board summary is measured for


def reference_figures(filters) -> dict:
    """The dashboard's raw figures from the plaintext schema, one GROUP BY query each."""
    from feedback_app.extensions import db
    from feedback_app.services.figures.filters import surveys_in_scope

    slugs = [s.slug for s in surveys_in_scope(filters)]
    conditions = scope_conditions(filters, slugs)
    r, c, s = plain_responses.c, plain_choices.c, plain_service_answers.c
    in_scope = select(r.id).where(*conditions) if conditions else None

    def children(statement, table):
        return statement.where(table.c.response_id.in_(in_scope)) if in_scope is not None else statement

    connection = db.session.connection()
    run = connection.execute
    figures = {
        "by_survey": run(select(r.survey_slug, func.count()).where(*conditions).group_by(r.survey_slug)).all(),
        "gender": run(
            select(r.survey_slug, r.gender, func.count()).where(*conditions).group_by(r.survey_slug, r.gender)
        ).all(),
        "age": run(select(r.survey_slug, r.age, func.count()).where(*conditions).group_by(r.survey_slug, r.age)).all(),
        "choices": run(
            children(select(c.question, c.choice, func.count()).group_by(c.question, c.choice), plain_choices)
        ).all(),
        "answered": run(
            children(select(c.question, func.count(distinct(c.response_id))).group_by(c.question), plain_choices)
        ).all(),
        "weeks": run(
            select(r.submitted_week, func.count()).where(*conditions).group_by(r.submitted_week)
        ).all(),
    }
    for qid in SCALES:
        scale = getattr(s, qid)
        figures[qid] = run(
            children(
                select(s.question, s.choice, scale, func.count()).group_by(s.question, s.choice, scale),
                plain_service_answers,
            )
        ).all()
    # Weeks to financial-year quarters, as the dashboard does it.
    from feedback_app.services.figures import periods

    quarters: Counter = Counter()
    for week, count in figures["weeks"]:
        quarters[periods.quarter_of(week if isinstance(week, date) else date.fromisoformat(week)).token] += count
    figures["quarters"] = quarters
    return figures


def canonical_reference(figures: dict, aggregates) -> dict:
    """``reference_figures`` as comparable {key: count}, zero counts left out."""
    from feedback_app.services.figures.counting import NOT_ANSWERED, NOT_ASKED
    from feedback_app.services.figures.filters import asks
    from feedback_app.surveys.registry import all_surveys

    surveys = all_surveys()
    out: Counter = Counter()
    for slug, count in figures["by_survey"]:
        out[("survey", slug)] += count
        out[("total",)] += count
    for qid in ("gender", "age"):
        for slug, value, count in figures[qid]:
            key = value if value is not None else (NOT_ANSWERED if asks(surveys[slug], qid) else NOT_ASKED)
            out[(qid, key)] += count
    for question, choice, count in figures["choices"]:
        if question in ("services", "supporters"):
            out[("services", f"{question}.{choice}")] += count
        else:
            out[(question, choice)] += count
    for question, count in figures["answered"]:
        out[("services" if question in ("services", "supporters") else question, "_total")] += count
    with_scales = {(f.key, b.question) for f in aggregates.service_feedback for b in f.scales}
    for qid in SCALES:
        for question, choice, value, count in figures[qid]:
            key = f"{question}.{choice}"
            if (key, qid) in with_scales:
                out[(qid, key, value if value is not None else NOT_ANSWERED)] += count
    for token, count in figures["quarters"].items():
        out[("trend", token)] += count
    return {k: v for k, v in out.items() if v}


def canonical_sealed(aggregates) -> dict:
    """``compute_uncached``'s figures as {key: count}, zero counts left out."""
    out: dict = {("total",): aggregates.total}
    for row in aggregates.by_survey.rows:
        out[("survey", row.key)] = row.count
    for breakdown in aggregates.splits:
        for row in breakdown.rows:
            out[(breakdown.question, row.key)] = row.count
    for row in aggregates.services.rows:
        out[("services", row.key)] = row.count
    out[("services", "_total")] = aggregates.services.total
    for breakdown in aggregates.choices:
        for row in breakdown.rows:
            out[(breakdown.question, row.key)] = row.count
        out[(breakdown.question, "_total")] = breakdown.total
    for feedback in aggregates.service_feedback:
        for breakdown in feedback.scales:
            for row in breakdown.rows:
                out[(breakdown.question, feedback.key, row.key)] = row.count
    for quarter in aggregates.trend:
        out[("trend", quarter.period.token)] = quarter.count
    return {k: v for k, v in out.items() if v}


# -- timing -------------------------------------------------------------------------------------
def timed(fn: Callable[[], object]) -> tuple[float, object]:
    from feedback_app.extensions import db

    gc.collect()
    start = time.perf_counter()
    value = fn()
    elapsed = time.perf_counter() - start
    db.session.remove()  # as at the end of a request
    return elapsed, value


@dataclass
class Case:
    name: str
    filters: object
    in_scope: int = 0
    cold: list[float] = field(default_factory=list)  # compute_uncached
    reference: list[float] = field(default_factory=list)
    agrees: bool = True
    sealed_figures: object = None  # the last round's, for the comparison
    reference_raw: object = None


@dataclass
class SizeResult:
    database: str
    size: int
    rounds: int
    build_seconds: float  # building the sealed rows (shared by the databases) for this step
    insert_seconds: float  # this database's bulk inserts + ANALYZE for this step
    full: Case
    page_cold: list[float] = field(default_factory=list)  # dashboard(), cache cleared
    warm: list[float] = field(default_factory=list)  # dashboard(), from the cache (all calls)
    stamp: list[float] = field(default_factory=list)  # figures.stamp.read() alone (all calls)
    warm_old: list[float] = field(default_factory=list)  # dashboard(), from the cache, keyed by old_stamp()
    old_stamp: list[float] = field(default_factory=list)  # old_stamp() alone (all calls)
    filtered: list[Case] = field(default_factory=list)
    board_cold: list[float] = field(default_factory=list)  # reports.board.board(), cache cleared
    board_warm: list[float] = field(default_factory=list)  # the same again, from the cache (all calls)
    board_reference: list[float] = field(default_factory=list)  # plaintext GROUP BYs for the same counts
    # A filtered view (QSC_VIEW) through dashboard(), with query-set control, and through
    # protect(compute()) without it; cold = cache cleared, warm = again from the cache.
    qsc_cold: list[float] = field(default_factory=list)
    qsc_warm: list[float] = field(default_factory=list)
    plain_cold: list[float] = field(default_factory=list)
    plain_warm: list[float] = field(default_factory=list)
    export: ExportResult | None = None
    reference_export: ExportResult | None = None


OLD_STAMP = "count(*) + max(submitted_week)"


def old_stamp() -> tuple:
    """The cache's stamp before migration 0005, as it was: how many responses and the latest
    week, two subqueries (each may use an index), on every ``compute``."""
    from feedback_app.extensions import db
    from feedback_app.models import Response

    count = select(func.count()).select_from(Response).scalar_subquery()
    latest_week = select(func.max(Response.submitted_week)).scalar_subquery()
    return tuple(db.session.execute(select(count, latest_week)).one())


def measure_dashboard(result: SizeResult, cases: list[Case]) -> None:
    from unittest import mock

    from feedback_app.coordinator.presenters import disclosure_rules
    from feedback_app.services.figures import stamp
    from feedback_app.services.figures.cache import aggregate_cache
    from feedback_app.services.figures.counting import compute_uncached
    from feedback_app.services.figures.dashboard import dashboard
    from feedback_app.services.figures.filters import Filters

    cache = aggregate_cache()

    def warm_calls(into: list[float]) -> None:
        for _ in range(WARM_CALLS):
            into.append(timed(lambda: dashboard(Filters(), disclosure_rules()))[0])

    def page_cold_then_warm() -> None:
        cache.clear()
        seconds, _ = timed(lambda: dashboard(Filters(), disclosure_rules()))
        result.page_cold.append(seconds)
        # Old and new stamps in turn, their order rotating with the rounds.
        def new() -> None:
            warm_calls(result.warm)
            for _ in range(WARM_CALLS):
                result.stamp.append(timed(stamp.read)[0])

        def old() -> None:
            with mock.patch.object(stamp, "read", old_stamp):
                dashboard(Filters(), disclosure_rules())  # fills the cache under the old keys
                warm_calls(result.warm_old)
            for _ in range(WARM_CALLS):
                result.old_stamp.append(timed(old_stamp)[0])

        for side in (new, old) if len(result.page_cold) % 2 else (old, new):
            side()

    for round_number in range(result.rounds):
        for case in cases:
            sides: list[tuple[str, Callable[[], None]]] = []

            def sealed(case=case) -> None:
                seconds, figures = timed(lambda: compute_uncached(case.filters))
                case.cold.append(seconds)
                case.in_scope = figures.total
                case.sealed_figures = figures

            def reference(case=case) -> None:
                seconds, figures = timed(lambda: reference_figures(case.filters))
                case.reference.append(seconds)
                case.reference_raw = figures

            sides = [("sealed", sealed), ("reference", reference)]
            if case is result.full:
                sides.append(("page", page_cold_then_warm))
            shift = round_number % len(sides)
            for _name, side in sides[shift:] + sides[:shift]:
                side()
            case.agrees = case.agrees and (
                canonical_sealed(case.sealed_figures) == canonical_reference(case.reference_raw, case.sealed_figures)
            )
            progress(
                f"    {result.database} {result.size:,}: round {round_number + 1}/{result.rounds} {case.name}: cold {case.cold[-1]:.3f}s, "
                f"reference {case.reference[-1]:.3f}s"
                + (f", page cold {result.page_cold[-1]:.3f}s, warm {median(result.warm[-WARM_CALLS:]) * 1000:.1f} ms"
                   f" (old stamp {median(result.warm_old[-WARM_CALLS:]) * 1000:.1f} ms)"
                   if case is result.full else "")
            )
    cache.clear()


# -- board summary ------------------------------------------------------------------------------
def board_reference(quarter) -> dict:
    """The board summary's raw counts from the plaintext schema: the dashboard's figures for
    the quarter and the one before, and responses by area and by mode, per survey."""
    from feedback_app.extensions import db
    from feedback_app.services.figures.filters import Filters
    from feedback_app.services.reports.board import previous_period

    r = plain_responses.c
    within = [r.submitted_week >= quarter.start, r.submitted_week <= quarter.end]
    found = {
        "now": reference_figures(Filters(period=quarter)),
        "before": reference_figures(Filters(period=previous_period(quarter))),
    }
    for name, column in (("area", r.area), ("mode", r.collection_mode)):
        statement = (
            select(column, r.survey_slug, r.is_demo, func.count()).where(*within).group_by(column, r.survey_slug, r.is_demo)
        )
        found[name] = db.session.execute(statement).all()
    return found


def measure_board(result: SizeResult, quarter) -> None:
    from feedback_app.coordinator.presenters import disclosure_rules
    from feedback_app.services.figures.cache import aggregate_cache
    from feedback_app.services.reports.board import board

    cache = aggregate_cache()
    for round_number in range(result.rounds):
        def sealed() -> None:
            cache.clear()
            result.board_cold.append(timed(lambda: board(quarter, None, True, disclosure_rules()))[0])
            for _ in range(WARM_CALLS):
                result.board_warm.append(timed(lambda: board(quarter, None, True, disclosure_rules()))[0])

        def reference() -> None:
            result.board_reference.append(timed(lambda: board_reference(quarter))[0])

        for side in (sealed, reference) if round_number % 2 == 0 else (reference, sealed):
            side()
        progress(
            f"    {result.database} {result.size:,}: round {round_number + 1}/{result.rounds} board summary "
            f"{quarter.label}: cold {result.board_cold[-1]:.3f}s, warm "
            f"{median(result.board_warm[-WARM_CALLS:]) * 1000:.1f} ms, reference {result.board_reference[-1]:.3f}s"
        )
    cache.clear()


QSC_VIEW = "language = pl, the quarter"


def measure_query_sets(result: SizeResult, quarter) -> None:
    """One filtered view with and without query-set control, cold and warm."""
    from feedback_app.coordinator.presenters import disclosure_rules
    from feedback_app.services.figures import counting
    from feedback_app.services.figures.cache import aggregate_cache
    from feedback_app.services.figures.dashboard import dashboard, protect, real_figures
    from feedback_app.services.figures.filters import Filters

    view = Filters(language="pl", period=quarter)
    cache = aggregate_cache()

    def without() -> None:
        protect(counting.compute(view), disclosure_rules(), real=real_figures(view))

    def with_control() -> None:
        dashboard(view, disclosure_rules())

    for round_number in range(result.rounds):
        for call, cold, warm in ((with_control, result.qsc_cold, result.qsc_warm), (without, result.plain_cold, result.plain_warm)):
            cache.clear()
            cold.append(timed(call)[0])
            warm.extend(timed(call)[0] for _ in range(WARM_CALLS))
        progress(
            f"    {result.database} {result.size:,}: round {round_number + 1}/{result.rounds} {QSC_VIEW}: "
            f"with query-set control cold {result.qsc_cold[-1]:.3f}s, without {result.plain_cold[-1]:.3f}s"
        )
    cache.clear()


# -- CSV export ---------------------------------------------------------------------------------
@dataclass
class ExportResult:
    rows: int = 0
    unreadable: int = 0
    bytes: int = 0
    seconds: list[float] = field(default_factory=list)
    peak_traced: int | None = None  # tracemalloc peak, bytes (None: no traced pass)
    rss_growth: int = 0  # sampled VmRSS peak over VmRSS before, bytes


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def consume(chunks: Iterator[str]) -> tuple[int, int]:
    """Encode every chunk as a response would; (bytes, VmRSS peak growth)."""
    before = rss_bytes()
    peak = before
    total = 0
    for number, chunk in enumerate(chunks):
        total += len(chunk.encode("utf-8"))
        if number % 50 == 0:
            peak = max(peak, rss_bytes())
    return total, max(peak, rss_bytes()) - before


def sealed_export(counter) -> Iterator[str]:
    from feedback_app.services.figures.filters import Filters
    from feedback_app.services.reports.raw_export import iter_raw_csv

    return iter_raw_csv(Filters(), counter)


def reference_export(counter) -> Iterator[str]:
    """The plaintext tables streamed as the same CSV (columns, order, 200-row chunks)."""
    from feedback_app.extensions import db
    from feedback_app.services.figures.filters import Filters, surveys_in_scope
    from feedback_app.services.reports.exports import BOM
    from feedback_app.services.reports.raw_export import STREAM_BATCH, answer_columns, header

    surveys = surveys_in_scope(Filters())
    columns = answer_columns(surveys)
    position = {column.name: index for index, column in enumerate(columns)}
    r, c, s = plain_responses.c, plain_choices.c, plain_service_answers.c
    connection = db.session.connection()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(surveys))
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    parents = connection.execute(
        select(r.id, r.survey_slug, r.survey_version, r.language, r.collection_mode, r.submitted_week, r.is_demo,
               r.age, r.gender, r.area)
        .order_by(r.submitted_week, r.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    in_chunk = 0
    for rows in parents.partitions():
        ids = [row[0] for row in rows]
        ticks: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for response_id, question, choice in connection.execute(
            select(c.response_id, c.question, c.choice).where(c.response_id.in_(ids))
        ):
            ticks[response_id][question].append(choice)
        scales: dict[int, list] = defaultdict(list)
        for response_id, _question, choice, listened, safer in connection.execute(
            select(s.response_id, s.question, s.choice, s.listened, s.safer).where(s.response_id.in_(ids))
        ):
            scales[response_id].append((choice, listened, safer))
        for response_id, slug, version, language, mode, week, is_demo, *singles in rows:
            counter.rows += 1
            cells = [""] * len(columns)
            for name, value in zip(SINGLE_COLUMNS, singles):
                if value is not None:
                    cells[position[name]] = value
            for question, chosen in ticks.get(response_id, {}).items():
                cells[position[question]] = ";".join(chosen)
            for choice, listened, safer in scales.get(response_id, ()):
                if listened is not None:
                    cells[position[f"listened.{choice}"]] = listened
                if safer is not None:
                    cells[position[f"safer.{choice}"]] = safer
            week = week if isinstance(week, date) else date.fromisoformat(week)
            writer.writerow(
                [counter.rows, slug, version, language, mode, week.isoformat(), "yes" if is_demo else "no", *cells]
            )
            in_chunk += 1
            if in_chunk >= 200:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
                in_chunk = 0
    if in_chunk:
        yield buffer.getvalue()


@dataclass
class RowCount:
    rows: int = 0
    unreadable: int = 0


def release_memory() -> None:
    """Collect garbage and hand freed heap back to the OS, so that RSS growth means something."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def measure_export(make_chunks: Callable, passes: int, traced: bool) -> ExportResult:
    from feedback_app.extensions import db

    result = ExportResult()
    for _ in range(passes):
        counter = RowCount()
        release_memory()
        start = time.perf_counter()
        result.bytes, growth = consume(make_chunks(counter))
        result.seconds.append(time.perf_counter() - start)
        result.rss_growth = max(result.rss_growth, growth)
        result.rows, result.unreadable = counter.rows, counter.unreadable
        db.session.remove()
    if not traced:
        return result
    # Peak Python memory in its own pass: tracemalloc slows allocation down.
    counter = RowCount()
    release_memory()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    consume(make_chunks(counter))
    result.peak_traced = tracemalloc.get_traced_memory()[1] - baseline
    tracemalloc.stop()
    db.session.remove()
    return result


# -- one size on one database -------------------------------------------------------------------
def measure_size(label: str, size: int, args, build_seconds: float, insert_seconds: float) -> SizeResult:
    """Everything measured at one size (call inside the database's request context)."""
    from feedback_app.services.figures import periods
    from feedback_app.services.figures.filters import Filters

    large = size >= args.large_from
    quarter = periods.quarter(2026, 1)
    BOARD_QUARTER_LABEL[:] = [quarter.label]
    full = Case("all responses, all time", Filters())
    result = SizeResult(
        database=label, size=size, rounds=args.large_rounds if large else args.rounds,
        build_seconds=build_seconds, insert_seconds=insert_seconds, full=full,
    )
    result.filtered = [
        Case(f"quarter {quarter.label}", Filters(period=quarter)),
        Case("service = services.police", Filters(service="services.police")),
    ]
    measure_dashboard(result, [full, *result.filtered])
    measure_board(result, quarter)
    measure_query_sets(result, quarter)
    if not args.no_export:
        passes = 1 if large else args.export_rounds
        progress(f"  {label}: {size:,}: CSV export ...")
        result.export = measure_export(sealed_export, passes, traced=True)
        progress(f"  {label}: {size:,}: reference CSV export ...")
        result.reference_export = measure_export(reference_export, passes, traced=not large)
        progress(
            f"    export {median(result.export.seconds):.1f}s (peak {fmt_mb(result.export.peak_traced)}), "
            f"reference {median(result.reference_export.seconds):.1f}s"
        )
    return result


# -- reporting ----------------------------------------------------------------------------------
def fmt_s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:,.1f} ms"
    return f"{seconds:,.2f} s"


def fmt_mb(count: int | None) -> str:
    return "-" if count is None else f"{count / MB:,.1f} MB"


def fmt_ratio(value: float) -> str:
    return f"{value:,.1f}x"


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def report(results: list[SizeResult], sizes: list[int]) -> None:
    heading("Setup (not measured)")
    print_table(
        "Each step adds rows up to the size: built once with build_response (own id; payload and facts sealed; "
        "the databases share a keyring), then bulk-inserted with their plaintext copies into each database",
        ["database", "responses", "rows added", "building (shared)", "inserting + ANALYZE", "step total"],
        [
            [r.database, f"{r.size:,}", f"{r.size - prev:,}", f"{r.build_seconds:,.1f} s",
             f"{r.insert_seconds:,.1f} s", f"{r.build_seconds + r.insert_seconds:,.1f} s"]
            for r, prev in zip(results, previous_sizes(results))
        ],
    )

    heading("1. Dashboard, all responses, all time")
    print_table(
        "Median of rounds (cold = nothing cached; warm = dashboard() again, served from the per-process cache)",
        ["database", "responses", "rounds", "compute_uncached", "dashboard() cold", "per response",
         "dashboard() warm", "plaintext GROUP BY", "cold / reference", "agrees"],
        [
            [
                r.database, f"{r.size:,}", str(r.rounds), fmt_s(median(r.full.cold)), fmt_s(median(r.page_cold)),
                f"{median(r.page_cold) / r.size * 1e6:,.1f} µs", fmt_s(median(r.warm)),
                fmt_s(median(r.full.reference)), fmt_ratio(median(r.page_cold) / median(r.full.reference)),
                "yes" if r.full.agrees else "NO",
            ]
            for r in results
        ],
    )
    print_table(
        "The warm dashboard and the stamp that keys its cache, new (migration 0005: a sequence on PostgreSQL, "
        f"a counter row on SQLite) vs old ({OLD_STAMP}), measured in the same rounds (median of all calls)",
        ["database", "responses", "stamp", "old stamp", "old / new", "dashboard() warm", "warm, old stamp",
         "saved"],
        [
            [
                r.database, f"{r.size:,}", fmt_s(median(r.stamp)), fmt_s(median(r.old_stamp)),
                fmt_ratio(median(r.old_stamp) / median(r.stamp)), fmt_s(median(r.warm)), fmt_s(median(r.warm_old)),
                fmt_s(median(r.warm_old) - median(r.warm)),
            ]
            for r in results
        ],
    )
    print_table(
        "Filtered, cold compute_uncached beside the same figures by GROUP BY (median of rounds)",
        ["database", "responses", "filter", "in scope", "compute_uncached", "plaintext GROUP BY", "ratio", "agrees"],
        [
            [
                r.database, f"{r.size:,}", case.name, f"{case.in_scope:,}", fmt_s(median(case.cold)),
                fmt_s(median(case.reference)), fmt_ratio(median(case.cold) / median(case.reference)),
                "yes" if case.agrees else "NO",
            ]
            for r in results
            for case in r.filtered
        ],
        align="lrlrrrrl",
    )
    print_table(
        f"Board summary (reports.board.board) for {BOARD_QUARTER_LABEL[0]}, every audience, demo responses counted "
        "(median of rounds; warm = median of all warm calls)",
        ["database", "responses", "board cold", "board warm", "plaintext GROUP BY", "cold / reference"],
        [
            [
                r.database, f"{r.size:,}", fmt_s(median(r.board_cold)), fmt_s(median(r.board_warm)),
                fmt_s(median(r.board_reference)), fmt_ratio(median(r.board_cold) / median(r.board_reference)),
            ]
            for r in results
            if r.board_cold
        ],
    )
    print_table(
        f"Query-set control: the dashboard's view {QSC_VIEW} ({BOARD_QUARTER_LABEL[0]}), demo responses counted "
        "(median of rounds; warm = median of all warm calls)",
        ["database", "responses", "with control cold", "with control warm", "without cold", "without warm",
         "cold with / without"],
        [
            [
                r.database, f"{r.size:,}", fmt_s(median(r.qsc_cold)), fmt_s(median(r.qsc_warm)),
                fmt_s(median(r.plain_cold)), fmt_s(median(r.plain_warm)),
                fmt_ratio(median(r.qsc_cold) / median(r.plain_cold)),
            ]
            for r in results
            if r.qsc_cold
        ],
    )
    print("compute_uncached   = aggregates.compute_uncached(filters): SQL selects by metadata, every row's sealed")
    print("                     facts opened (AES-256-GCM) and counted")
    print("dashboard() cold   = services.figures.dashboard.dashboard(Filters(), rules) with the aggregate cache cleared: stamp")
    print("                     + compute_uncached + disclosure control; the cold target uses this")
    print("dashboard() warm   = the same call again: two compute() calls (with demo responses and real ones only),")
    print("                     each reading the stamp and hitting the cache, + disclosure control")
    print("stamp              = services.figures.stamp.read() alone: PostgreSQL reads the sequence responses_stamp and")
    print("                     pg_locks (two statements); SQLite reads the counter row responses_stamp")
    print(f"old stamp          = {OLD_STAMP} over responses, the stamp before migration 0005;")
    print("                     warm, old stamp = dashboard() warm with it patched in for stamp.read (cache filled first)")
    print("board cold         = reports.board.board(quarter, None, True, rules) with the aggregate cache cleared: the")
    print("                     dashboard for the quarter and the one before (each with and without demo responses),")
    print("                     areas from the quarter's facts (twice), modes by SQL, theme counts, two-way protection")
    print("board warm         = the same call again (theme counts and modes' stamp read afresh; the rest cached)")
    print("plaintext GROUP BY = 9 GROUP BY queries on the plaintext copy giving the same figures; agrees = the same")
    print("                     counts as compute_uncached (every cell compared)")
    print()

    exported = [r for r in results if r.export is not None]
    if exported:
        heading("2. Raw CSV export (iter_raw_csv(Filters()), consumed fully)")
        print_table(
            "Time: median of untraced passes; memory: a separate pass under tracemalloc; RSS: VmRSS sampled while "
            "streaming, growth over before",
            ["database", "responses", "rows", "bytes", "time", "rows/s", "tracemalloc peak", "RSS growth",
             "reference time", "ref. peak", "ref. RSS growth", "time / reference", "same bytes"],
            [
                [
                    r.database, f"{r.size:,}", f"{r.export.rows:,}", f"{r.export.bytes:,}",
                    fmt_s(median(r.export.seconds)), f"{rate(r.export.rows, median(r.export.seconds)):,.0f}",
                    fmt_mb(r.export.peak_traced), fmt_mb(r.export.rss_growth),
                    fmt_s(median(r.reference_export.seconds)), fmt_mb(r.reference_export.peak_traced),
                    fmt_mb(r.reference_export.rss_growth),
                    fmt_ratio(median(r.export.seconds) / median(r.reference_export.seconds)),
                    "yes" if r.export.bytes == r.reference_export.bytes else "no",
                ]
                for r in exported
            ],
        )
        print("reference = the plaintext tables streamed (yield_per, children fetched per batch of parents) through")
        print("            csv.writer: same columns, same order, same 200-row chunks, no spreadsheet neutralising")
        print("RSS growth = VmRSS sampled every 50 chunks, peak minus VmRSS just before (after gc + malloc_trim, so")
        print("             freed memory is handed back first); includes SQLite's page cache / psycopg's buffers.")
        print("             ru_maxrss is not shown: the process's peak is set by the setup batches")
        print("same bytes = the reference CSV has exactly as many bytes (same rows, same columns)")
        print()

    print()
    databases = list(dict.fromkeys(r.database for r in results))
    for database in databases:
        mine = {r.size: r for r in results if r.database == database}
        at_target = mine.get(TARGET_SIZE)
        if at_target is None:
            print(f"VERDICT dashboard cold, {database}: not measured ({TARGET_SIZE:,} not in --sizes)")
        else:
            cold, reference = median(at_target.page_cold), median(at_target.full.reference)
            print(
                f"VERDICT dashboard cold, {database}, {TARGET_SIZE:,} responses: {fmt_s(cold)} vs target "
                f"<= {fmt_s(TARGET_COLD_SECONDS)} -> {verdict(cold <= TARGET_COLD_SECONDS)}"
            )
            print(
                f"VERDICT dashboard cold vs plaintext, {database}, {TARGET_SIZE:,} responses: "
                f"{fmt_ratio(cold / reference)} the GROUP BY reference ({fmt_s(reference)}) vs target "
                f"<= {fmt_ratio(TARGET_COLD_RATIO)} -> {verdict(cold / reference <= TARGET_COLD_RATIO)}"
            )
        for size, r in mine.items():
            warm = median(r.warm)
            print(
                f"VERDICT dashboard warm, {database}, {size:,} responses: {fmt_s(warm)} vs target "
                f"<= {fmt_s(TARGET_WARM_SECONDS)} -> {verdict(warm <= TARGET_WARM_SECONDS)}"
            )
        exported_sizes = [size for size in sorted(mine) if mine[size].export is not None]
        if len(exported_sizes) < 2:
            reason = "--no-export" if not exported_sizes and len(mine) > 1 else "needs two sizes"
            print(f"VERDICT export memory flat, {database}: not measured ({reason})")
        else:
            low, high = mine[exported_sizes[0]].export, mine[exported_sizes[-1]].export
            growth = high.peak_traced / low.peak_traced
            print(
                f"VERDICT export memory flat, {database}: tracemalloc peak {fmt_mb(low.peak_traced)} at "
                f"{exported_sizes[0]:,} -> {fmt_mb(high.peak_traced)} at {exported_sizes[-1]:,} "
                f"({fmt_ratio(growth)}) vs target <= {fmt_ratio(TARGET_MEMORY_GROWTH)} -> "
                f"{verdict(growth <= TARGET_MEMORY_GROWTH)}"
            )
        for size, r in mine.items():
            if r.export is not None and (r.export.rows != size or r.export.unreadable):
                print(
                    f"*** WARNING {database}, {size:,}: the export wrote {r.export.rows:,} rows of {size:,} "
                    f"({r.export.unreadable:,} unreadable) ***"
                )
        disagreeing = [r for r in mine.values() for case in (r.full, *r.filtered) if not case.agrees]
        if disagreeing:
            print(f"*** WARNING {database}: the plaintext reference and compute_uncached disagree -- see 'agrees' ***")


def previous_sizes(results: list[SizeResult]) -> list[int]:
    out, last = [], {}
    for r in results:
        out.append(last.get(r.database, 0))
        last[r.database] = r.size
    return out


# -- main -----------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.aggregates", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated response counts, measured in increasing order as the table grows "
                        "(default 10000,100000,1000000)")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql (default both)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds below --large-from responses (default 5)")
    parser.add_argument("--large-rounds", type=int, default=2, help="rounds from --large-from responses (default 2)")
    parser.add_argument("--large-from", type=int, default=500_000,
                        help="sizes from this many responses use --large-rounds and one timed export pass "
                        "(default 500000)")
    parser.add_argument("--export-rounds", type=int, default=1,
                        help="untraced export passes below --large-from (default 1)")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export measurements")
    parser.add_argument("--pool", type=int, default=3000, help="distinct answer sets to draw from (default 3000)")
    parser.add_argument("--seed", type=int, default=20261121, help="seed for the generated answers and weeks")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    started = time.perf_counter()

    print("Dashboard aggregates / raw export benchmark (bench/aggregates.py)")
    print_versions()
    print(f"sizes      : {', '.join(f'{s:,}' for s in sizes)} responses (the tables grow from one to the next)")
    print(
        f"rounds     : {args.rounds} (from {args.large_from:,} responses: {args.large_rounds}); warm = median of "
        f"{WARM_CALLS} calls per round; export: {args.export_rounds} timed pass(es) (from {args.large_from:,}: 1) "
        f"+ 1 traced pass (reference: none from {args.large_from:,})"
    )

    from feedback_app.crypto import Keyring

    keyring = Keyring.generate()  # shared: rows are sealed once and inserted into every database
    results: list[SizeResult] = []
    skipped_kinds: list[str] = []
    targets: list[Target] = []
    with contextlib.ExitStack() as stack:
        for kind in kinds:
            database = stack.enter_context(throwaway_database(kind, prefix="feedback_bench_agg"))
            if database is None:
                skipped_kinds.append(kind)
                continue
            app = make_app(database.url, KEYRING=keyring)
            stack.callback(dispose_app_engines, app)
            with app.app_context():
                migrate_schema()
                create_plain_tables()
            targets.append(Target(database.label, app))
        if targets:
            with targets[0].app.app_context():
                from feedback_app.surveys.registry import all_surveys

                ALL_SLUGS[:] = list(all_surveys())
                progress(f"building a pool of {args.pool:,} answer sets ...")
                pool = build_pool(args.seed, args.pool)
                print(describe_pool(pool))
            grower = Grower(pool, args.seed)
            for size in sizes:
                progress(f"growing to {size:,} responses (setup) ...")
                for target in targets:
                    target.insert_seconds = 0.0
                build_seconds = grower.grow_to(size, targets)
                progress(
                    f"{size:,} responses ready: building {build_seconds:.0f}s, "
                    + ", ".join(f"{t.label} inserting {t.insert_seconds:.0f}s" for t in targets)
                )
                for target in targets:
                    with target.app.test_request_context("/"):
                        results.append(measure_size(target.label, size, args, build_seconds, target.insert_seconds))

    if results:
        report(results, sizes)
    for kind in skipped_kinds:
        print()
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(kind, kind)
        print(f"*** SKIPPED: {name} (server unreachable) -- its targets are NOT checked ***")
    print()
    print(f"peak RSS   : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB (whole run)")
    print(f"total time : {time.perf_counter() - started:.0f}s")
    return 0


def dispose_app_engines(app) -> None:
    with app.app_context():
        dispose_engines()


def describe_pool(pool: list[PoolItem]) -> str:
    from feedback_app.services.responses.submissions import build_response

    surveys = Counter(item.slug for item in pool)
    payloads, facts = [], []
    for item in pool[:500]:
        response = build_response(
            survey_slug=item.slug, survey_version=item.version, language=item.language,
            collection_mode=item.mode, organisation=item.organisation, answers=item.answers,
        )
        payloads.append(len(response.payload))
        facts.append(len(response.facts))
    payloads.sort()
    facts.sort()
    return (
        f"answers    : a pool of {len(pool):,} answer sets from demo_data.random_answers "
        f"({', '.join(f'{slug} {count / len(pool):.0%}' for slug, count in surveys.most_common())}); "
        f"sealed payload median {payloads[len(payloads) // 2]:,} bytes, facts median {facts[len(facts) // 2]:,} bytes; "
        f"weeks: {len(WEEKS)} Mondays {WEEKS[-1].isoformat()} .. {WEEKS[0].isoformat()}"
    )


if __name__ == "__main__":
    sys.exit(main())
