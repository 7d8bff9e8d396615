"""Disclosure control: small counts hidden, percentages only on a big enough base, and no
hidden cell recoverable by subtracting the shown cells from the total."""

import itertools
import random

import pytest

from feedback_app.services.figures.disclosure import (
    PROTECTING,
    SMALL,
    WITHHELD,
    DisclosureRules,
    protect_count,
    protect_table,
)

RULES = DisclosureRules()  # threshold 5, percentages from a base of 10


@pytest.mark.parametrize(
    "count, shown, suppressed",
    [(0, "0", False), (1, "fewer than 5", True), (4, "fewer than 5", True), (5, "5", False), (6, "6", False)],
)
def test_threshold_at_just_under_and_just_over(count, shown, suppressed):
    cell = protect_count(count, RULES)
    assert cell.shown == shown
    assert cell.suppressed is suppressed
    assert cell.value == (None if suppressed else count)
    assert cell.percent is None


def test_threshold_is_configurable():
    rules = DisclosureRules(threshold=10, fewer_than=lambda n: f"under {n}")
    assert protect_count(9, rules).shown == "under 10"
    assert protect_count(10, rules).shown == "10"
    with pytest.raises(ValueError):
        DisclosureRules(threshold=0)


@pytest.mark.parametrize("base, percent_shown", [(9, False), (10, True), (11, True)])
def test_percentages_need_a_base_of_ten(base, percent_shown):
    table = protect_table({"yes": base - 5, "no": 5}, DisclosureRules(threshold=1))
    assert not table.any_suppressed
    for key in ("yes", "no"):
        cell = table[key]
        assert (cell.percent is not None) is percent_shown
        if percent_shown:
            assert cell.percent == f"{round(cell.value / base * 100)}%"
            assert cell.share == cell.value / base


def test_no_percentage_for_a_hidden_cell():
    table = protect_table({"a": 3, "b": 20, "c": 30}, RULES)
    assert table["a"].percent is None and table["a"].share is None
    assert table["c"].percent == "57%"


def test_exactly_one_small_cell_hides_the_next_smallest():
    table = protect_table({"woman": 30, "man": 6, "another": 4, "not_answered": 12}, RULES)
    assert table["another"].reason == SMALL and table["another"].shown == "fewer than 5"
    assert table["man"].reason == PROTECTING and table["man"].shown == "not shown"
    assert table["man"].value is None and table["man"].percent is None
    assert not table["woman"].suppressed and not table["not_answered"].suppressed
    assert table.total.shown == "52"


def test_zero_cells_are_shown_and_never_used_to_protect():
    table = protect_table({"a": 2, "b": 0, "c": 9, "d": 0}, RULES)
    assert table["b"].shown == "0" and table["d"].shown == "0"
    assert table["c"].reason == PROTECTING


def test_two_small_cells_that_add_up_to_their_minimum_are_protected():
    # 1 + 1 = 2: two cells of "fewer than 5" adding up to 2 can only be 1 and 1.
    table = protect_table({"a": 1, "b": 1, "c": 20}, RULES)
    assert [table[k].suppressed for k in "abc"] == [True, True, True]
    # 2 + 3 = 5 could be 1+4, 2+3, 3+2, 4+1: nothing more to hide.
    table = protect_table({"a": 2, "b": 3, "c": 20}, RULES)
    assert table["c"].suppressed is False


def test_two_small_cells_at_their_maximum_are_protected():
    table = protect_table({"a": 4, "b": 4, "c": 20}, RULES)  # 8 can only be 4 + 4
    assert table["c"].reason == PROTECTING


def test_a_protecting_cell_at_the_threshold_needs_another():
    # Hidden: 1 ("fewer than 5") and 5 ("not shown", so at least 5): they add up to 6,
    # which pins them to 1 and 5. A third cell is hidden as well.
    table = protect_table({"a": 1, "b": 5, "c": 7}, RULES)
    assert [table[k].reason for k in "abc"] == [SMALL, PROTECTING, PROTECTING]


def test_whole_table_withheld_when_nothing_else_can_be_hidden():
    table = protect_table({"a": 3, "b": 0, "c": 0}, DisclosureRules(threshold=3))
    assert table.withheld is False  # 3 is not below a threshold of 3
    table = protect_table({"a": 2, "b": 9}, DisclosureRules(threshold=3, percent_base_min=1))
    # hiding 2 and 9 leaves 11 = a + b with a in 1..2 and b >= 3: not pinned
    assert not table.withheld and table["b"].reason == PROTECTING
    table = protect_table({"a": 1, "b": 3}, DisclosureRules(threshold=3))
    # a in 1..2, b >= 3, a + b = 4: a = 1, b = 3 — nothing left to hide
    assert table.withheld
    assert all(cell.reason == WITHHELD and cell.value is None for cell in table.cells.values())


def test_a_small_total_withholds_the_table():
    table = protect_table({"woman": 3, "man": 0}, RULES)
    assert table.withheld and table.total.shown == "fewer than 5"
    assert table["man"].value is None


def test_multi_choice_tables_get_primary_suppression_only():
    table = protect_table({"phone": 3, "email": 6, "chat": 40}, RULES, total=45, additive=False)
    assert table["phone"].suppressed and not table["email"].suppressed
    assert table["chat"].percent == "89%"
    with pytest.raises(ValueError):
        protect_table({"a": 1}, RULES, additive=False)


def test_additive_tables_must_add_up():
    with pytest.raises(ValueError):
        protect_table({"a": 5, "b": 6}, RULES, total=12)


def test_linked_cells_hidden_elsewhere_are_hidden_here():
    table = protect_table({"asked": 20, "not_asked": 7}, RULES, hide=["not_asked"])
    # hiding 7 alone would be undone by subtraction, so 20 goes too
    assert table["not_asked"].reason == PROTECTING and table["asked"].reason == PROTECTING
    table = protect_table({"a": 20, "b": 0}, RULES, hide=["b"])
    assert table["b"].shown == "0"  # nothing to hide


def test_published_cells_are_never_used_to_protect():
    table = protect_table({"small": 2, "big": 18, "not_asked": 6}, RULES, published=["not_asked"])
    assert table["not_asked"].shown == "6"
    assert table["big"].reason == PROTECTING
    table = protect_table({"small": 2, "not_asked": 6}, RULES, published=["not_asked"])
    assert table.withheld  # nothing else could protect the small cell


def test_order_and_keys_are_kept():
    table = protect_table([("z", 7), ("a", 9)], RULES)
    assert [key for key, _ in table.items()] == ["z", "a"]


# -- an independent, brute-force check of secondary suppression ---------------------------


def solutions_for_hidden(values, table, threshold):
    """Every assignment to the hidden cells that agrees with what is shown and the rules."""
    total = sum(values.values())
    hidden = [k for k in values if table[k].suppressed]
    remaining = total - sum(values[k] for k in values if not table[k].suppressed)
    ranges = [
        range(1, threshold) if table[k].reason == SMALL else range(threshold, remaining + 1) for k in hidden
    ]
    return hidden, [combo for combo in itertools.product(*ranges) if sum(combo) == remaining]


def assert_no_hidden_cell_recoverable(values, rules=RULES):
    table = protect_table(values, rules)
    if table.withheld:
        return
    hidden, solutions = solutions_for_hidden(values, table, rules.threshold)
    assert solutions, "the true values must be one of the solutions"
    for index, key in enumerate(hidden):
        possible = {solution[index] for solution in solutions}
        assert len(possible) > 1, (values, key, possible)


@pytest.mark.parametrize(
    "values",
    [
        {"a": 4, "b": 6},
        {"a": 1, "b": 5, "c": 7},
        {"a": 1, "b": 1, "c": 20},
        {"a": 4, "b": 4, "c": 5, "d": 5},
        {"a": 2, "b": 0, "c": 5},
        {"a": 3, "b": 12, "c": 5, "d": 40},
    ],
)
def test_hidden_cells_cannot_be_worked_out(values):
    assert_no_hidden_cell_recoverable(values)


def test_random_tables_never_reveal_a_hidden_cell():
    rng = random.Random(20260401)
    for _ in range(400):
        values = {f"c{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20]) for i in range(rng.randint(2, 5))}
        assert_no_hidden_cell_recoverable(values)
