"""Two-way tables under disclosure control: no hidden cell, and no hidden total, can be
worked out from any row or column."""

import itertools
import random

from feedback_app.services.figures.cross_tab import TOTAL, protect_cross_tab
from feedback_app.services.figures.disclosure import PROTECTING, SMALL, Cell, DisclosureRules, recoverable_cells

RULES = DisclosureRules()


def _lines(tab):
    rows, columns = (*tab.rows, TOTAL), (*tab.columns, TOTAL)
    for row in rows:
        yield [(row, c) for c in tab.columns], (row, TOTAL)
    for column in columns:
        yield [(r, column) for r in tab.rows], (TOTAL, column)


def _values(counts, rows, columns):
    values = {(r, c): counts.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        values[(r, TOTAL)] = sum(values[(r, c)] for c in columns)
    for c in columns:
        values[(TOTAL, c)] = sum(values[(r, c)] for r in rows)
    values[(TOTAL, TOTAL)] = sum(values[(r, TOTAL)] for r in rows)
    return values


def assert_protected(tab, values):
    """Every line: no hidden cell recoverable where the total is shown; a hidden total has
    a hidden non-zero cell in its line; small numbers never shown."""
    for key, cell in tab.cells.items():
        if RULES.is_small(values[key]):
            assert cell.reason == SMALL, key
        if not cell.suppressed:
            assert cell.value == values[key], key
    for keys, total_key in _lines(tab):
        hidden = {k: tab.cells[k].reason for k in keys if tab.cells[k].suppressed and values[k]}
        if tab.cells[total_key].suppressed:
            if values[total_key]:
                assert hidden, (total_key, "a hidden total is the sum of shown cells")
            continue
        line_values = {k: values[k] for k in keys}
        assert recoverable_cells(line_values, hidden, RULES, values[total_key]) == [], keys


def test_a_single_small_cell_forces_a_complementary_cell_in_its_row_and_its_column():
    rows, columns = ("north", "south", "east"), ("adult", "young")
    counts = {
        ("north", "adult"): 3, ("north", "young"): 20,
        ("south", "adult"): 30, ("south", "young"): 12,
        ("east", "adult"): 40, ("east", "young"): 25,
    }
    tab = protect_cross_tab(counts, rows, columns, RULES)
    assert not tab.withheld
    assert tab.cell("north", "adult").shown == "fewer than 5"
    # its row: the other cell of "north" is hidden to protect it
    assert tab.cell("north", "young").reason == PROTECTING
    # its column: the smallest other adult cell is hidden too
    assert tab.cell("south", "adult").reason == PROTECTING
    # and that one's row needs a partner, which closes the rectangle
    assert tab.cell("south", "young").reason == PROTECTING
    # the rest, and every total, are shown
    assert tab.cell("east", "adult").shown == "40"
    assert tab.row_total("north").shown == "23"
    assert tab.column_total("adult").shown == "73"
    assert tab.total.shown == "130"
    assert tab.protecting
    assert_protected(tab, _values(counts, rows, columns))


def test_a_table_with_nothing_small_is_shown_whole():
    counts = {("a", "x"): 10, ("a", "y"): 0, ("b", "x"): 7, ("b", "y"): 9}
    tab = protect_cross_tab(counts, ("a", "b"), ("x", "y"), RULES)
    assert [tab.cells[k].shown for k in [("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")]] == ["10", "0", "7", "9"]
    assert tab.row_total("a").shown == "10" and tab.total.shown == "26"
    assert not tab.protecting


def test_a_small_total_is_hidden_and_cannot_be_worked_out_from_the_other_totals():
    # Row "c" holds 3 in all: its total is small, so another row total is hidden with it.
    rows, columns = ("a", "b", "c"), ("x", "y")
    counts = {("a", "x"): 10, ("a", "y"): 11, ("b", "x"): 12, ("b", "y"): 13, ("c", "x"): 3}
    tab = protect_cross_tab(counts, rows, columns, RULES)
    assert tab.row_total("c").shown == "fewer than 5"
    assert tab.row_total("a").suppressed or tab.row_total("b").suppressed
    assert_protected(tab, _values(counts, rows, columns))


def test_a_small_whole_is_withheld():
    tab = protect_cross_tab({("a", "x"): 2, ("b", "x"): 1}, ("a", "b"), ("x",), RULES)
    assert tab.withheld
    assert all(cell.shown == "not shown" for cell in tab.cells.values())


def test_a_table_that_cannot_be_protected_is_withheld():
    # One column: each cell is its row's total. Hiding the small cell leaves its row total
    # (the same number) small, but the column's other cell must then be hidden, and that
    # one is its row's total, shown: nothing consistent is left but to withhold.
    counts = {("a", "x"): 3, ("b", "x"): 10, ("c", "x"): 12}
    tab = protect_cross_tab(counts, ("a", "b", "c"), ("x",), RULES, published=[("b", TOTAL), ("c", TOTAL)])
    assert tab.withheld


def test_column_totals_protected_elsewhere_are_hidden_alike_and_hide_the_whole():
    rows, columns = ("online", "one_to_one"), ("adult", "young", "anyone")
    counts = {
        ("online", "adult"): 60, ("one_to_one", "adult"): 41,
        ("online", "young"): 10, ("one_to_one", "young"): 20,
        ("online", "anyone"): 3,
    }
    # The responses-by-audience table hid young people to protect the 3 in the open survey.
    given = {
        "adult": Cell(101, "101", False),
        "young": Cell(None, "not shown", True, reason=PROTECTING),
        "anyone": Cell(None, "fewer than 5", True, reason=SMALL),
    }
    tab = protect_cross_tab(counts, rows, columns, RULES, column_totals=given)
    assert not tab.withheld
    assert tab.column_total("young").suppressed and tab.column_total("anyone").suppressed
    assert tab.column_total("adult").shown == "101"
    assert tab.total.suppressed  # the whole less the shown adults would give the rest away
    # the young people's column keeps a hidden cell, so its hidden total stays hidden
    assert tab.cell("online", "young").suppressed or tab.cell("one_to_one", "young").suppressed
    assert_protected(tab, _values(counts, rows, columns))


def test_demo_numbers_are_printed_where_real_ones_decide():
    rows, columns = ("a", "b", "c"), ("x", "y")
    real = {("a", "x"): 10, ("a", "y"): 12, ("b", "x"): 3, ("b", "y"): 20, ("c", "x"): 30, ("c", "y"): 31}
    with_demo = {**real, ("b", "x"): 9, ("c", "x"): 34}
    tab = protect_cross_tab(real, rows, columns, RULES, shown=with_demo)
    assert tab.cell("b", "x").shown == "fewer than 5"  # decided on the 3 real, not the 9
    assert tab.cell("c", "x").shown == "34"
    assert tab.row_total("c").shown == "65"
    assert tab.total.shown == "116"


def test_random_tables_are_always_protected():
    generator = random.Random(14)
    for _ in range(300):
        rows = tuple(f"r{i}" for i in range(generator.randint(1, 5)))
        columns = tuple(f"c{i}" for i in range(generator.randint(1, 4)))
        counts = {
            key: generator.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40])
            for key in itertools.product(rows, columns)
        }
        tab = protect_cross_tab(counts, rows, columns, RULES)
        if not tab.withheld:
            assert_protected(tab, _values(counts, rows, columns))
