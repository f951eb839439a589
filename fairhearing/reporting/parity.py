"""Parity: whether some kinds of complaint wait longer than others (R-50, R-54).

The reviews behind the project found handling perceived to run at different speeds for
different kinds of complaint. These figures give, for the cases closed in each quarter, their
number and days to outcome (median and 90th percentile) by complaint category and by outcome
(each outcome is reached at a stage of the process: no further action after assessment, no
case to answer at the charge decision, a panel's decision, an appeal), and, over the
rolling year to each quarter's end, flag a category whose median differs from that of every
other category's cases together by more than the rulebook's threshold.

Read as one grouped count of closed cases by quarter, category and whole days open: what
leaves the database is a histogram, never a row per case, and every figure (by quarter, by
rolling year, the rest of the cases) is read from it. Days are whole days (rounded down), so
a median here may differ by under a day from the published one for all complaints, which is
exact to a tenth of a day."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connections

from fairhearing.cases.models import Case
from fairhearing.organisations.rulebook import RulebookSpec

# Days to outcome are given for a group of at least this many closed cases (as for all
# complaints, `services.MIN_FOR_DURATIONS`): a median of fewer tells too much about each case.
MIN_FOR_TIMES = 6
YEAR = 4  # quarters in the rolling year a flag is judged over

# (quarter's name, category) -> whole days open -> cases
Histogram = dict[tuple[str, str], Counter[int]]


@dataclass(frozen=True)
class Times:
    closed: int
    median: float | None  # None: fewer than MIN_FOR_TIMES
    p90: float | None


@dataclass(frozen=True)
class Flag:
    """A category that took longer (or shorter) than the rest over a rolling year."""

    category: str
    label: str
    closed: int
    median: float
    rest_closed: int
    rest_median: float
    difference_percent: int  # signed: positive when slower than the rest

    @property
    def slower(self) -> bool:
        return self.difference_percent > 0


def times_of(days: Counter[int]) -> Times:
    """Median and 90th percentile of a histogram of whole days, as the published figures for
    all complaints define them (the 90th percentile is the value at index int(0.9 n) of the
    sorted days)."""
    n = sum(days.values())
    if n < MIN_FOR_TIMES:
        return Times(n, None, None)

    def at(index: int) -> int:
        seen = 0
        for value in sorted(days):
            seen += days[value]
            if index < seen:
                return value
        raise IndexError(index)  # not reached: index < n

    middle = at((n - 1) // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2
    return Times(n, float(middle), float(at(min(n - 1, int(0.9 * n)))))


def closed_days(
    organisation_id: int, starts: list[dt.datetime], names: list[str]
) -> tuple[Histogram, Histogram]:
    """The cases closed between `starts[0]` and `starts[-1]`, counted by quarter (`names[i]`
    for those closed from `starts[i]`) and whole days open: by category, and by outcome (how
    and so at what stage the case ended). One pass over the cases on PostgreSQL."""
    cases = Case.objects.filter(
        organisation_id=organisation_id, closed_at__gte=starts[0], closed_at__lt=starts[-1]
    )
    database = connections[cases.db]  # the replica, when the caller reads from one
    by_category: Histogram = {}
    by_outcome: Histogram = {}
    if database.vendor == "postgresql":
        query = (
            "SELECT width_bucket(closed_at, %s::timestamptz[]) AS q, category, outcome,"
            " floor(extract(epoch FROM closed_at - opened_at) / 86400)::int AS d,"
            " GROUPING(category), count(*)"
            " FROM cases_case WHERE organisation_id = %s AND closed_at >= %s"
            " AND closed_at < %s GROUP BY GROUPING SETS ((1, 2, 4), (1, 3, 4))"
        )
        with database.cursor() as cursor:
            cursor.execute(query, [starts, organisation_id, starts[0], starts[-1]])
            for bucket, category, outcome, days, by_outcome_row, n in cursor.fetchall():
                if by_outcome_row:
                    key, into = (names[bucket - 1], outcome), by_outcome
                else:
                    key, into = (names[bucket - 1], category), by_category
                into.setdefault(key, Counter())[days] += n
        return by_category, by_outcome
    rows: Any = cases.values_list("category", "outcome", "opened_at", "closed_at")
    for category, outcome, opened, closed in rows:
        name = names[sum(1 for start in starts[1:-1] if closed >= start)]
        days = int((closed - opened).total_seconds() // 86400)
        by_category.setdefault((name, category), Counter())[days] += 1
        by_outcome.setdefault((name, outcome), Counter())[days] += 1
    return by_category, by_outcome


def times_by(histogram: Histogram, quarter: str) -> dict[str, Times]:
    """The quarter's times by the histogram's key (a category, an outcome)."""
    return {
        key: times_of(days) for (name, key), days in sorted(histogram.items()) if name == quarter
    }


def flags(
    histogram: Histogram, quarters: list[str], spec: RulebookSpec
) -> tuple[list[Flag], dict[str, Times]]:
    """Over the quarters `quarters` (a rolling year), each category's times, and those whose
    median differs from the rest's by more than the rulebook's threshold, both sides with at
    least its minimum of cases."""
    year: dict[str, Counter[int]] = {}
    for (name, category), days in histogram.items():
        if name in quarters:
            year.setdefault(category, Counter()).update(days)
    threshold, least = spec.parity_threshold_percent, spec.parity_min_cases
    everything: Counter[int] = Counter()
    for days in year.values():
        everything.update(days)
    found, times = [], {}
    for category, days in sorted(year.items()):
        times[category] = here = times_of(days)
        rest = times_of(everything - days)
        if here.closed < least or rest.closed < least:
            continue
        if here.median is None or not rest.median:  # a rest all closed the same day
            continue
        difference = round(100 * (here.median - rest.median) / rest.median)
        if abs(difference) > threshold:
            label = spec.categories.get(category) or category or "Not recorded"
            found.append(
                Flag(
                    category, label, here.closed, here.median, rest.closed, rest.median, difference
                )
            )
    # The slowest first.
    return sorted(found, key=lambda flag: -flag.difference_percent), times


def rolling_year(quarter: str, between: list[str]) -> list[str]:
    """The quarter and the three before it, of those in `between` (in order)."""
    at = between.index(quarter)
    return between[max(0, at - YEAR + 1) : at + 1]


def parity_figures(
    organisation_id: int, spec: RulebookSpec, between: list[Any], wanted: list[str]
) -> dict[str, dict[str, Any]]:
    """Raw parity figures for each quarter of `wanted`: closed cases and their times by
    category in the quarter, and the rolling year's flags. `between`: consecutive quarters
    (`queries.Period`) from three before the first wanted to the last."""
    if not wanted:
        return {}
    starts = [period.bounds()[0] for period in between] + [between[-1].bounds()[1]]
    names = [period.name for period in between]
    histogram, outcomes = closed_days(organisation_id, starts, names)
    figures = {}
    for name in wanted:
        year = rolling_year(name, names)
        found, year_times = flags(histogram, year, spec)
        figures[name] = {
            "by_category": times_by(histogram, name),
            "by_outcome": times_by(outcomes, name),
            "year": {"from": year[0], "to": year[-1], "by_category": year_times},
            "flags": found,
        }
    return figures
