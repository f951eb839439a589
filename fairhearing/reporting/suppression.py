"""Small-number suppression for published statistics (R-51), with secondary suppression.

Published tables are one-dimensional counts with a total; tables of the same period that share
a total (every "received" table sums to the same number) form a group. Counts 1-5 are shown as
"1-5" (primary suppression); zero is shown as 0. Then, while an attacker could still work out
any suppressed number exactly, more is suppressed: the smallest other non-zero count in the
table that gives it away ("*", secondary suppression), or, when nothing is left to hide it
behind, the whole table is withheld.

The attacker this defends against knows every published number, that "1-5" means 1 to 5, that
"*" means some number of at least 0, that each table sums to its total, and that tables of a
group share their total. `attacker_ranges` is that attacker: bounds propagation over the group's
sum constraints, which is exact here (the constraints form a star around the shared total).
"""

from dataclasses import dataclass, field

LOW, HIGH = 1, 5
SMALL = "1-5"
HIDDEN = "*"
WITHHELD = "withheld"


@dataclass
class Table:
    name: str
    counts: dict[str, int]
    shown: dict[str, str] = field(default_factory=dict)
    withheld: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Group:
    """Tables of one period that share a total."""

    tables: list[Table]
    total_shown: str = ""

    @property
    def total(self) -> int:
        return self.tables[0].total if self.tables else 0


def _show(value: int, low: int, high: int) -> str:
    return SMALL if low <= value <= high else str(value)


def _bounds(shown: str, low: int, high: int) -> tuple[int, float]:
    if shown == SMALL:
        return low, high
    if shown == HIDDEN:
        return 0, float("inf")
    return int(shown), int(shown)


def attacker_ranges(
    group: Group, low: int = LOW, high: int = HIGH
) -> dict[tuple[str, str], tuple[float, float]]:
    """The tightest range an attacker can put on every hidden number (and the total)."""
    lo_t, hi_t = _bounds(group.total_shown, low, high)
    total_lo, total_hi = float(lo_t), float(hi_t)
    cells: dict[tuple[str, str], list[float]] = {
        (t.name, k): [float(b) for b in _bounds(t.shown[k], low, high)]
        for t in group.tables
        if not t.withheld
        for k in t.counts
    }
    changed = True
    while changed:
        changed = False
        for table in group.tables:
            if table.withheld:
                continue
            keys = [(table.name, k) for k in table.counts]
            total_lo_new = max(total_lo, sum(cells[k][0] for k in keys))
            total_hi_new = min(total_hi, sum(cells[k][1] for k in keys))
            if (total_lo_new, total_hi_new) != (total_lo, total_hi):
                total_lo, total_hi, changed = total_lo_new, total_hi_new, True
            for key in keys:
                others_lo = sum(cells[k][0] for k in keys if k != key)
                others_hi = sum(cells[k][1] for k in keys if k != key)
                new_lo = max(cells[key][0], total_lo - others_hi)
                new_hi = min(cells[key][1], total_hi - others_lo)
                if [new_lo, new_hi] != cells[key]:
                    cells[key] = [new_lo, new_hi]
                    changed = True
    ranges = {key: (lo, hi) for key, (lo, hi) in cells.items()}
    ranges[("", "total")] = (total_lo, total_hi)
    return ranges


def _pinned(group: Group, low: int, high: int) -> list[tuple[str, str]]:
    hidden = {
        (t.name, k)
        for t in group.tables
        if not t.withheld
        for k, s in t.shown.items()
        if s in {SMALL, HIDDEN}
    }
    if group.total_shown == SMALL:
        hidden.add(("", "total"))
    ranges = attacker_ranges(group, low, high)
    return sorted(key for key in hidden if ranges[key][0] == ranges[key][1])


def suppress(group: Group, low: int = LOW, high: int = HIGH) -> Group:
    """Apply primary and secondary suppression to a group, in place; returns it."""
    group.total_shown = _show(group.total, low, high)
    for table in group.tables:
        table.shown = {k: _show(v, low, high) for k, v in table.counts.items()}
    while pinned := _pinned(group, low, high):
        name = pinned[0][0]
        tables = [t for t in group.tables if t.name == name] or [
            t for t in group.tables if not t.withheld
        ]
        table = tables[0]
        candidates = sorted(
            (v, k)
            for k, v in table.counts.items()
            if v > 0 and table.shown[k] not in {SMALL, HIDDEN}
        )
        if candidates:
            table.shown[candidates[0][1]] = HIDDEN
        else:
            table.withheld = True
            table.shown = dict.fromkeys(table.counts, WITHHELD)
    return group
