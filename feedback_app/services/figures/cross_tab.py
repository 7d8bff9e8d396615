"""Disclosure control for a two-way table (a cross-tab): counts by row and column, with the
total of each row, of each column and of the whole table.

Each row adds up to its total, each column to its total, the row totals and the column
totals to the whole. Every one of those sums is an additive table in the sense of
``disclosure``, so each is protected with ``disclosure.protect_table``; a cell hidden in one
line is hidden in every line that holds it (``hide=``), and the lines are protected again,
round and round, until no line hides anything new. Then:

* a cell from 1 to ``threshold - 1`` reads "fewer than 5" (primary suppression), totals
  included;
* in no row or column can a hidden cell be worked out from the shown cells and the total;
* a hidden total cannot be worked out from its line either: a line whose total is hidden
  keeps at least one of its cells hidden.

A line whose total is itself small holds only zeros and small cells, all hidden already:
its equation pins nothing. If a line cannot be protected (nothing left to hide but numbers
published elsewhere), or the whole table's total is small, the table is withheld.

Linked tables: ``column_totals`` are column totals already protected by another table (the
responses by audience): a total hidden there is hidden here too, and one shown there is
never picked to protect another cell (hiding it here would protect nothing). The whole
table's total is then shown only when every column total is, since otherwise it would
give a hidden one away by subtraction. ``published`` names other cells to treat alike.

Demo responses: as in ``disclosure``, ``counts`` (real responses) decide what is hidden and
``shown`` gives the numbers printed where a cell is shown.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

from .disclosure import PROTECTING, SMALL, WITHHELD, Cell, DisclosureRules, protect_table

TOTAL = "_total"  # the key of the totals row and of the totals column

Key = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class CrossTab:
    rows: tuple[Hashable, ...]
    columns: tuple[Hashable, ...]
    cells: Mapping[Key, Cell]  # (row, column) -> cell; TOTAL as a row or column for totals
    withheld: bool = False

    def cell(self, row: Hashable, column: Hashable) -> Cell:
        return self.cells[(row, column)]

    def row_total(self, row: Hashable) -> Cell:
        return self.cells[(row, TOTAL)]

    def column_total(self, column: Hashable) -> Cell:
        return self.cells[(TOTAL, column)]

    @property
    def total(self) -> Cell:
        return self.cells[(TOTAL, TOTAL)]

    @property
    def protecting(self) -> bool:
        """Some cell is hidden so that a small number cannot be worked out."""
        return any(cell.reason == PROTECTING for cell in self.cells.values())


def protect_cross_tab(
    counts: Mapping[Key, int],
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    rules: DisclosureRules,
    *,
    column_totals: Mapping[Hashable, Cell] | None = None,
    published: Collection[Key] = (),
    shown: Mapping[Key, int] | None = None,
    narrowed: Collection[Key] = (),
) -> CrossTab:
    """Protect the table of ``counts`` (missing cells count 0) under ``rules``.

    ``narrowed``: cells (totals included) that are a view's total which a wider view would
    give away (``query_sets``): hidden whatever their size, as the dashboard hides them."""
    rows, columns = tuple(rows), tuple(columns)
    if TOTAL in rows or TOTAL in columns:
        raise ValueError(f"{TOTAL!r} names the totals")
    values = _with_totals(counts, rows, columns)
    printed = _with_totals(shown, rows, columns) if shown is not None else values
    grand = values[(TOTAL, TOTAL)]
    if rules.is_small(grand):
        return _withheld(rows, columns, rules)
    if grand == 0:
        # Nothing real (only demo responses, or nothing at all): the numbers describe nobody.
        return _made(rows, columns, printed, {}, rules)

    hidden: dict[Key, str] = {key: SMALL for key, value in values.items() if rules.is_small(value)}
    for key in narrowed:
        if key not in hidden and values.get(key, 0) > 0:
            hidden[key] = PROTECTING
    fixed = set(published)
    if column_totals is not None:
        for column in columns:
            given = column_totals[column]
            if given.suppressed:
                hidden.setdefault((TOTAL, column), SMALL if rules.is_small(values[(TOTAL, column)]) else PROTECTING)
            else:
                fixed.add((TOTAL, column))
        if any((TOTAL, column) in hidden for column in columns):
            hidden.setdefault((TOTAL, TOTAL), PROTECTING)

    lines = [([(row, c) for c in columns], (row, TOTAL)) for row in (*rows, TOTAL)]
    lines += [([(r, column) for r in rows], (TOTAL, column)) for column in (*columns, TOTAL)]
    changed = True
    while changed:
        changed = False
        for keys, total_key in lines:
            found = _protect_line(keys, total_key, values, hidden, fixed, rules)
            if found is None:
                return _withheld(rows, columns, rules)
            for key in found:
                hidden[key] = PROTECTING
                changed = True
    return _made(rows, columns, printed, hidden, rules)


def _protect_line(keys, total_key, values, hidden, fixed, rules) -> list[Key] | None:
    """Cells of one line to hide now (besides those hidden already); None if it cannot be
    protected."""
    total = values[total_key]
    if total == 0 or rules.is_small(total):
        return []  # only zeros and small cells, hidden already: nothing to work out
    table = protect_table(
        [(key, values[key]) for key in keys],
        rules,
        total=total,
        hide=[key for key in keys if key in hidden],
        published=[key for key in keys if key in fixed],
    )
    if table.withheld:
        return None
    newly = [key for key, cell in table.items() if cell.suppressed and key not in hidden]
    if total_key in hidden and not any(key in hidden or key in newly for key in keys if values[key]):
        # A hidden total is the sum of its line: keep one of the line's cells hidden too.
        candidates = [key for key in keys if values[key] and key not in fixed]
        if not candidates:
            return None
        newly.append(min(candidates, key=lambda key: values[key]))
    return newly


def _with_totals(counts: Mapping[Key, int], rows, columns) -> dict[Key, int]:
    values: dict[Key, int] = {}
    for row in rows:
        for column in columns:
            value = int(counts.get((row, column), 0))
            if value < 0:
                raise ValueError("counts cannot be negative")
            values[(row, column)] = value
    for row in rows:
        values[(row, TOTAL)] = sum(values[(row, column)] for column in columns)
    for column in columns:
        values[(TOTAL, column)] = sum(values[(row, column)] for row in rows)
    values[(TOTAL, TOTAL)] = sum(values[(row, TOTAL)] for row in rows)
    return values


def _made(rows, columns, printed, hidden, rules) -> CrossTab:
    cells = {}
    for key, value in printed.items():
        reason = hidden.get(key)
        if reason == SMALL:
            cells[key] = Cell(None, rules.fewer_than(rules.threshold), True, reason=SMALL)
        elif reason is not None:
            cells[key] = Cell(None, rules.not_shown(), True, reason=reason)
        else:
            cells[key] = Cell(value, rules.format_count(value), False)
    return CrossTab(rows, columns, cells)


def _withheld(rows, columns, rules) -> CrossTab:
    keys = [(r, c) for r in (*rows, TOTAL) for c in (*columns, TOTAL)]
    return CrossTab(rows, columns, {key: Cell(None, rules.not_shown(), True, reason=WITHHELD) for key in keys}, True)
