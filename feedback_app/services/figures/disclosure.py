"""Disclosure control: which counts and percentages may be shown.

Rules (the same for every table, chart and export):

* **Primary suppression.** A count from 1 to ``threshold - 1`` is shown as "fewer than 5"
  (with the configured threshold). Zero is shown: it describes nobody.
* **Percentages** are shown only for a shown count whose base is shown and at least
  ``percent_base_min``.
* **Secondary suppression.** In an *additive* table (its cells add up to a total that is
  shown), hidden cells must not be recoverable by subtraction. Someone who knows these rules
  knows that a cell shown as "fewer than 5" holds 1 to 4, that a cell hidden to protect
  another holds at least the threshold, and that the hidden cells add up to the total minus
  the shown cells. While that pins any hidden cell to one exact value, the smallest shown
  non-zero cell is hidden too. If nothing is left to hide, the whole table is withheld.
* A table whose total is itself too small to show is withheld: its cells would only say
  how a handful of people answered.
* **Linked tables.** Where one table holds a number another table also shows (or hides),
  the caller says so (``hide=``, ``published=``) so both tables hide it alike.
* **Demo responses.** With demo responses counted in, what is hidden is decided on the real
  responses alone (``shown=`` carries the demo-inclusive numbers to print where a cell is
  shown). A figure that includes demo responses is therefore shown exactly when the same
  figure without them is: the two views differ only by demo responses, and subtracting one
  from the other tells nothing about a survivor. No demo count is ever printed.

* **Narrowed views** (``query_sets``): a cell that a wider view would give away by
  subtraction is hidden (``narrowed=``), reason ``NARROWED``. Such a cell holds at least the
  threshold, so for secondary suppression it counts like a cell hidden to protect another.

Tables of a multi-choice question are not additive (one person can tick several boxes) and
get primary suppression only.

Pure: formatting (numbers, percentages, the "fewer than" wording) is passed in through
``DisclosureRules`` so that this module needs neither Flask nor a locale.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 5
DEFAULT_PERCENT_BASE_MIN = 10

# Why a cell is not shown.
SMALL = "small"  # primary: fewer than the threshold
PROTECTING = "protecting"  # secondary: hidden so that a small number cannot be worked out
WITHHELD = "withheld"  # the whole table is not shown
NARROWED = "narrowed"  # a wider view's same figure, minus this one, would count 1 to threshold - 1


def _plain_percent(share: float) -> str:
    return f"{round(share * 100)}%"


@dataclass(frozen=True)
class DisclosureRules:
    threshold: int = DEFAULT_THRESHOLD
    percent_base_min: int = DEFAULT_PERCENT_BASE_MIN
    format_count: Callable[[int], str] = str
    format_percent: Callable[[float], str] = _plain_percent
    fewer_than: Callable[[int], str] = lambda threshold: f"fewer than {threshold}"
    not_shown: Callable[[], str] = lambda: "not shown"

    def __post_init__(self) -> None:
        if self.threshold < 1 or self.percent_base_min < 1:
            raise ValueError("the disclosure threshold and percentage base must be at least 1")

    def is_small(self, count: int) -> bool:
        return 0 < count < self.threshold


@dataclass(frozen=True)
class Cell:
    value: int | None  # None when the count is not shown
    shown: str  # what the page says: "12", "fewer than 5" or "not shown"
    suppressed: bool
    percent: str | None = None  # None when no percentage may be shown
    reason: str | None = None  # SMALL | PROTECTING | WITHHELD when suppressed
    share: float | None = None  # value / base, when ``percent`` is shown (for charts)


@dataclass(frozen=True)
class ProtectedTable:
    """Cells in the order given, plus the protected total."""

    keys: tuple[Hashable, ...]
    cells: Mapping[Hashable, Cell]
    total: Cell
    withheld: bool = False
    additive: bool = True

    def __getitem__(self, key: Hashable) -> Cell:
        return self.cells[key]

    def items(self) -> list[tuple[Hashable, Cell]]:
        return [(key, self.cells[key]) for key in self.keys]

    @property
    def any_suppressed(self) -> bool:
        return any(cell.suppressed for cell in self.cells.values())

    @property
    def any_protecting(self) -> bool:
        return any(cell.reason == PROTECTING for cell in self.cells.values())

    @property
    def any_narrowed(self) -> bool:
        return any(cell.reason == NARROWED for cell in (*self.cells.values(), self.total))


@dataclass
class _Known:
    """What a reader knows about one hidden cell: lowest and highest possible value."""

    low: int
    high: float  # math.inf for a cell hidden to protect another


def protect_count(count: int, rules: DisclosureRules, shown: int | None = None) -> Cell:
    """One count on its own (no percentage); ``count`` decides, ``shown`` (if given) is printed."""
    if rules.is_small(count):
        return _small(rules)
    printed = count if shown is None else shown
    return Cell(printed, rules.format_count(printed), False)


def protect_table(
    counts: Mapping[Hashable, int] | Sequence[tuple[Hashable, int]],
    rules: DisclosureRules,
    *,
    total: int | None = None,
    additive: bool = True,
    hide: Collection[Hashable] = (),
    published: Collection[Hashable] = (),
    shown: Mapping[Hashable, int] | None = None,
    shown_total: int | None = None,
    narrowed: Collection[Hashable] = (),
    withhold: bool = False,
) -> ProtectedTable:
    """Protect one table of counts.

    ``total`` is the base for percentages; for an additive table it defaults to (and must
    equal) the sum of the counts. For a multi-choice table pass ``additive=False`` and the
    number of people who answered as ``total``.

    Linked tables: ``hide`` names cells to hide whatever their size, because another table
    hides the same number; ``published`` names cells whose number can be read elsewhere, so
    hiding them here would protect nothing (they are never picked to protect another cell).

    ``shown`` / ``shown_total``: the numbers to print (and take percentages of) instead of
    ``counts`` / ``total``, which then only decide what is hidden; e.g. real responses
    decide and demo-inclusive counts are printed. Keys missing from ``shown`` print as 0.

    ``narrowed``: cells a wider view would give away (``query_sets``), hidden whatever their
    size; ``withhold``: the table's total is such a cell. An additive table is then withheld
    (its cells would add up to the total); a multi-choice table shows its cells without the
    total and without percentages (which would give the total away).
    """
    pairs = list(counts.items()) if isinstance(counts, Mapping) else list(counts)
    keys = tuple(key for key, _ in pairs)
    values = {key: int(value) for key, value in pairs}
    if len(values) != len(pairs):
        raise ValueError("table keys must be unique")
    if any(value < 0 for value in values.values()):
        raise ValueError("counts cannot be negative")
    cell_sum = sum(values.values())
    if total is None:
        if not additive:
            raise ValueError("a table that does not add up needs its total")
        total = cell_sum
    if additive and total != cell_sum:
        raise ValueError(f"cells add up to {cell_sum}, not the total {total}")

    total_cell = protect_count(total, rules)
    if withhold and additive:
        return _withheld(keys, rules, narrowed_cell(rules), additive)
    if total_cell.suppressed:
        return _withheld(keys, rules, total_cell, additive)
    if total == 0 and shown is not None and (shown_total or sum(shown.values())):
        # Nothing real, only demo responses: their numbers describe nobody.
        printed_total = shown_total if shown_total is not None else sum(shown.values())
        cells = {key: _cell(int(shown.get(key, 0)), None, printed_total, rules) for key in keys}
        return ProtectedTable(keys, cells, Cell(printed_total, rules.format_count(printed_total), False), additive=additive)

    hidden: dict[Hashable, str] = {key: SMALL for key in keys if rules.is_small(values[key])}
    for key in narrowed:
        if key not in hidden and values.get(key, 0) > 0:
            hidden[key] = NARROWED
    for key in hide:
        if key not in hidden and values.get(key, 0) > 0:
            hidden[key] = PROTECTING
    if additive and hidden:
        while _recoverable(values, hidden, rules, total):
            candidate = _next_smallest(keys, values, hidden, avoid=set(published))
            if candidate is None:
                return _withheld(keys, rules, total_cell, additive)
            hidden[candidate] = PROTECTING

    if shown is not None:
        printed = {key: int(shown.get(key, 0)) for key in keys}
        printed_total = shown_total if shown_total is not None else sum(printed.values())
        total_cell = Cell(printed_total, rules.format_count(printed_total), False)
    else:
        printed, printed_total = values, total
    if withhold:  # no total, so no percentages of it either
        total_cell, printed_total = narrowed_cell(rules), 0
    cells = {key: _cell(printed[key], hidden.get(key), printed_total, rules) for key in keys}
    return ProtectedTable(keys, cells, total_cell, additive=additive)


def recoverable_cells(
    values: Mapping[Hashable, int], hidden: Mapping[Hashable, str], rules: DisclosureRules, total: int
) -> list[Hashable]:
    """Hidden cells whose exact value follows from the shown cells and the total."""
    remaining = total - sum(v for k, v in values.items() if k not in hidden)
    known = {key: _knowledge(reason, rules) for key, reason in hidden.items()}
    found = []
    for key, fact in known.items():
        others = [other for k, other in known.items() if k != key]
        low = max(fact.low, remaining - sum(o.high for o in others))
        high = min(fact.high, remaining - sum(o.low for o in others))
        if low == high:
            found.append(key)
    return found


def _recoverable(values, hidden, rules, total) -> bool:
    return bool(recoverable_cells(values, hidden, rules, total))


def _knowledge(reason: str, rules: DisclosureRules) -> _Known:
    if reason == SMALL:
        return _Known(1, rules.threshold - 1)
    return _Known(rules.threshold, math.inf)


def _next_smallest(keys, values, hidden, avoid) -> Hashable | None:
    """The shown non-zero cell with the smallest count (the first of equals)."""
    candidates = [key for key in keys if key not in hidden and key not in avoid and values[key] > 0]
    return min(candidates, key=lambda key: values[key]) if candidates else None


def _cell(value: int, reason: str | None, base: int, rules: DisclosureRules) -> Cell:
    if reason == SMALL:
        return _small(rules)
    if reason is not None:
        return Cell(None, rules.not_shown(), True, reason=reason)
    if base >= rules.percent_base_min and base > 0:
        share = value / base
        return Cell(value, rules.format_count(value), False, rules.format_percent(share), share=share)
    return Cell(value, rules.format_count(value), False)


def narrowed_cell(rules: DisclosureRules) -> Cell:
    """A count not shown because a wider view would give it away (``query_sets``)."""
    return Cell(None, rules.not_shown(), True, reason=NARROWED)


def _small(rules: DisclosureRules) -> Cell:
    return Cell(None, rules.fewer_than(rules.threshold), True, reason=SMALL)


def withheld_table(keys, rules: DisclosureRules, total: Cell, additive: bool = True) -> ProtectedTable:
    """A table of which nothing is shown, with ``total`` as its total."""
    return _withheld(tuple(keys), rules, total, additive)


def _withheld(keys, rules, total_cell, additive) -> ProtectedTable:
    cells = {key: Cell(None, rules.not_shown(), True, reason=WITHHELD) for key in keys}
    return ProtectedTable(keys, cells, total_cell, withheld=True, additive=additive)

