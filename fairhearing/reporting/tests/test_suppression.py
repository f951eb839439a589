"""Attacks on the suppression (R-51): nothing hidden can be pinned to one value."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.reporting.suppression import (
    HIDDEN,
    SMALL,
    WITHHELD,
    Group,
    Table,
    attacker_ranges,
    suppress,
)


def brute_force_values(group: Group) -> dict[tuple[str, str], set[int]]:
    """An independent attacker: enumerate every assignment consistent with what is shown."""
    variables: list[tuple[str, str]] = []
    domains: list[range] = []
    if group.total_shown == SMALL:
        variables.append(("", "total"))
        domains.append(range(1, 6))
    for table in group.tables:
        if table.withheld:
            continue
        for key, shown in table.shown.items():
            if shown == SMALL:
                variables.append((table.name, key))
                domains.append(range(1, 6))
            elif shown == HIDDEN:
                variables.append((table.name, key))
                domains.append(range(0, group.total + 1))  # no count exceeds the total
    seen: dict[tuple[str, str], set[int]] = {v: set() for v in variables}
    for values in itertools.product(*domains):
        assignment = dict(zip(variables, values, strict=True))
        total = assignment.get(("", "total"))
        total = int(group.total_shown) if total is None else total
        ok = True
        for table in group.tables:
            if table.withheld:
                continue
            s = sum(
                assignment.get((table.name, k), 0)
                if table.shown[k] in {SMALL, HIDDEN}
                else int(table.shown[k])
                for k in table.counts
            )
            if s != total:
                ok = False
                break
        if ok:
            for variable, value in assignment.items():
                seen[variable].add(value)
    return seen


@st.composite
def groups(draw: st.DrawFn, max_total: int = 24) -> Group:
    """Two or three tables that split the same total differently (as by category and by stage
    do), with many small counts."""
    total = draw(st.integers(min_value=0, max_value=max_total))
    tables = []
    for t in range(draw(st.integers(min_value=1, max_value=3))):
        parts = draw(st.integers(min_value=1, max_value=4))
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
        values = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        tables.append(Table(f"t{t}", {f"k{i}": v for i, v in enumerate(values)}))
    return Group(tables)


@settings(max_examples=200, deadline=None)
@given(groups())
def test_the_propagating_attacker_pins_nothing(group: Group) -> None:
    suppress(group)
    ranges = attacker_ranges(group)
    for table in group.tables:
        for key, shown in table.shown.items():
            if shown in {SMALL, HIDDEN}:
                lo, hi = ranges[(table.name, key)]
                assert lo < hi, (table.name, key, table.counts, table.shown)


@settings(max_examples=150, deadline=None)
@given(groups(max_total=12))
def test_a_brute_force_attacker_pins_nothing(group: Group) -> None:
    suppress(group)
    hidden_cells = sum(s in {SMALL, HIDDEN} for t in group.tables for s in t.shown.values())
    if hidden_cells > 4:
        return  # enumerating more is too slow here; the propagating attacker covers them
    for variable, values in brute_force_values(group).items():
        assert len(values) >= 2, (variable, values, [(t.counts, t.shown) for t in group.tables])


@settings(max_examples=150, deadline=None)
@given(groups())
def test_what_is_published_is_true(group: Group) -> None:
    suppress(group)
    for table in group.tables:
        for key, shown in table.shown.items():
            value = table.counts[key]
            if shown == SMALL:
                assert 1 <= value <= 5
            elif shown not in {HIDDEN, WITHHELD}:
                assert int(shown) == value and not 1 <= value <= 5


def test_a_lone_small_count_is_hidden_behind_another() -> None:
    group = suppress(Group([Table("category", {"racism": 3, "bullying": 40, "other": 12})]))
    (table,) = group.tables
    assert table.shown == {"racism": SMALL, "bullying": "40", "other": HIDDEN}
    assert group.total_shown == "55"


def test_five_ones_that_make_five_are_withheld() -> None:
    group = suppress(Group([Table("category", {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1})]))
    assert group.tables[0].withheld and group.total_shown == SMALL


def test_zero_is_shown_as_zero_and_large_numbers_as_they_are() -> None:
    group = suppress(Group([Table("stage", {"open": 0, "closed": 120, "appeal": 30})]))
    assert group.tables[0].shown == {"open": "0", "closed": "120", "appeal": "30"}
