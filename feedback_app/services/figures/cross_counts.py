"""Raw counts for the board summary's two-way tables: responses by area and by survey
(area is an answer: counted from the sealed facts), and by way of filling in and by survey
(collection mode is metadata: counted in SQL, nothing opened).

Each count comes twice, with demo responses and without (``Counts.everyone`` /
``Counts.real``), since the real responses decide what is hidden. Raw numbers: they must go
through disclosure control (``cross_tab``) before they are shown. Computed once per
period while the responses do not change (the figures cache, keyed by the stamp).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from ...extensions import db
from ...models import Response
from ...surveys.registry import all_surveys
from ..responses import facts as response_facts
from ..responses.store import FactBatch, read_facts
from . import stamp
from .cache import aggregate_cache
from .counting import NOT_ANSWERED
from .filters import AREA_QUESTION, Filters, asks, union_choices, where_metadata
from .periods import Period

ONE_TO_ONE = "one_to_one"  # evaluations run by a support worker: assisted or handed over
ONLINE = "online"
MODE_GROUPS = {"online": ONLINE, "assisted": ONE_TO_ONE, "handed_over": ONE_TO_ONE}


@dataclass(frozen=True)
class Counts:
    """(row key, survey slug) -> responses, with demo responses and without."""

    everyone: dict[tuple[str, str], int]
    real: dict[tuple[str, str], int]
    rows: tuple[str, ...]  # row keys in order: areas (and NOT_ANSWERED), or modes
    surveys: tuple[str, ...]  # the slugs counted
    unreadable: int = 0

    @property
    def has_demo(self) -> bool:
        return self.everyone != self.real


def by_mode(period: Period) -> Counts:
    """Responses in ``period`` by way of filling in (online, 1:1) and by survey; from the
    figures cache while the responses have not changed."""
    current = stamp.read()
    if current is None:  # a change is being written: right now, but not to be kept
        return _by_mode(period)
    return aggregate_cache().get_or_compute(("board-modes", period, current), lambda: _by_mode(period))


def _by_mode(period: Period) -> Counts:
    slugs = tuple(all_surveys())
    statement = where_metadata(
        select(Response.collection_mode, Response.survey_slug, Response.is_demo, func.count()),
        Filters(period=period),
        list(slugs),
    ).group_by(Response.collection_mode, Response.survey_slug, Response.is_demo)
    everyone: Counter = Counter()
    real: Counter = Counter()
    for mode, slug, is_demo, count in db.session.execute(statement):
        key = (MODE_GROUPS.get(mode, ONLINE), slug)
        everyone[key] += count
        if not is_demo:
            real[key] += count
    return Counts(dict(everyone), dict(real), (ONLINE, ONE_TO_ONE), slugs)


def by_area(period: Period, include_demo: bool = True) -> Counts:
    """Responses in ``period`` by the area they gave and by survey, for the surveys that
    ask it (one reading of the period's facts for the real responses, and one more with
    demo responses when they count)."""
    surveys = [s for s in all_surveys().values() if asks(s, AREA_QUESTION)]
    areas = tuple(o.value for o in union_choices(surveys, AREA_QUESTION))
    real, unreadable = _area_pass(period, False)
    everyone, _ = _area_pass(period, True) if include_demo else (real, unreadable)
    return Counts(everyone, real, (*areas, NOT_ANSWERED), tuple(s.slug for s in surveys), unreadable)


def _area_pass(period: Period, include_demo: bool) -> tuple[dict[tuple[str, str], int], int]:
    """From the figures cache while the responses have not changed."""
    current = stamp.read()
    if current is None:  # a change is being written: right now, but not to be kept
        return _count_areas(period, include_demo)
    key = ("board-areas", period, include_demo, current)
    return aggregate_cache().get_or_compute(key, lambda: _count_areas(period, include_demo))


def _count_areas(period: Period, include_demo: bool) -> tuple[dict[tuple[str, str], int], int]:
    surveys = [s for s in all_surveys().values() if asks(s, AREA_QUESTION)]
    areas = tuple(o.value for o in union_choices(surveys, AREA_QUESTION))
    tally = _AreaTally(areas)
    if surveys:
        slugs = [s.slug for s in surveys]
        filters = Filters(period=period, include_demo=include_demo)
        read_facts(surveys, lambda statement: where_metadata(statement, filters, slugs), tally.count)
    return tally.result(), tally.unreadable


class _AreaTally:
    """Area tokens and responses per survey, a batch at a time."""

    def __init__(self, areas: tuple[str, ...]) -> None:
        self.tokens = {
            response_facts.token_bytes(response_facts.single_token(AREA_QUESTION, area)): area for area in areas
        }
        self.counts: Counter = Counter()
        self.responses: Counter = Counter()  # per survey
        self.unreadable = 0

    def count(self, batch: FactBatch) -> None:
        self.unreadable += len(batch.unreadable)
        self.responses.update(batch.surveys)
        for slug, found in batch.tokens.items():
            if not found:
                continue
            counted = Counter(found)
            for token, area in self.tokens.items():
                if counted[token]:
                    self.counts[(area, slug)] += counted[token]

    def result(self) -> dict[tuple[str, str], int]:
        counts = dict(self.counts)
        for slug, total in self.responses.items():
            given = sum(n for (_area, s), n in self.counts.items() if s == slug)
            counts[(NOT_ANSWERED, slug)] = total - given
        return counts
