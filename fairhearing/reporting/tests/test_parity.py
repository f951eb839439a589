"""Parity figures (issue 23, item 1; R-50, R-54): closed cases and days to outcome by category,
pinned against direct counts; a category flagged over the rolling year; what is published
of them, and that its small numbers cannot be worked out."""

import datetime as dt
import re
import statistics
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.cases.models import Case
from fairhearing.conftest import signed_in
from fairhearing.reporting.queries import pack_content, period_figures, period_parse
from fairhearing.reporting.services import report_content, report_publish
from fairhearing.reporting.suppression import HIDDEN, SMALL, Group, Table, attacker_ranges

Q3, Q4 = period_parse("2026-Q3"), period_parse("2026-Q4")


@pytest.fixture(autouse=True)
def _key(settings, tmp_path) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"


def closed(make_complaint, category: str, days: float, closed_on: dt.datetime) -> Case:
    """A case of `category` closed on `closed_on` after `days` days open."""
    case = make_complaint(category=category).cases.get()
    Case.objects.filter(pk=case.pk).update(
        opened_at=closed_on - dt.timedelta(days=days),
        closed_at=closed_on,
        stage="closed",
        outcome="no_further_action",
    )
    return case


@pytest.mark.django_db
def test_closed_cases_and_their_times_by_category_match_a_direct_count(
    organisation, make_complaint
) -> None:
    on = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    racism = [40.5, 12, 90, 33.9, 61, 20, 75]
    for days in racism:
        closed(make_complaint, "racism", days, on)
    for days in (5, 8, 13):
        closed(make_complaint, "bullying", days, on)
    closed(make_complaint, "racism", 300, dt.datetime(2026, 9, 1, tzinfo=dt.UTC))  # Q3
    make_complaint(category="racism")  # open: not counted

    figures = period_figures(organisation, Q4)
    in_q4 = Case.objects.filter(closed_at__gte=Q4.bounds()[0], closed_at__lt=Q4.bounds()[1])
    assert figures["closed_by_category"]["Racism"] == in_q4.filter(category="racism").count()
    assert figures["closed_by_category"]["Bullying or harassment"] == 3
    assert figures["closed_by_category"]["Antisemitism"] == 0  # every category, as the others
    assert sum(figures["closed_by_category"].values()) == figures["closed"] == 10
    pairs: Any = in_q4.filter(category="racism").values_list("opened_at", "closed_at")
    whole_days = sorted(
        int((closed_at - opened_at).total_seconds() // 86400) for opened_at, closed_at in pairs
    )
    count, median, p90 = figures["times_by_category"]["Racism"]
    assert count == 7 and median == statistics.median(whole_days) == 40
    assert p90 == whole_days[int(0.9 * 7)] == 90
    # Fewer than six closed: no times, only the count.
    assert figures["times_by_category"]["Bullying or harassment"] == [3, None, None]
    # By how the case ended: here all ten after assessment, told apart from an upheld one.
    one = in_q4.filter(category="bullying").values_list("pk", flat=True)[:1]
    Case.objects.filter(pk__in=list(one)).update(outcome="upheld_sanction_final")
    by_outcome = period_figures(organisation, Q4)["times_by_outcome"]
    after: Any = in_q4.filter(outcome="no_further_action").values_list("opened_at", "closed_at")
    every_day = sorted(
        int((closed_at - opened_at).total_seconds() // 86400) for opened_at, closed_at in after
    )
    assert by_outcome["No further action after assessment"] == [
        9,
        statistics.median(every_day),
        every_day[int(0.9 * 9)],
    ]
    assert by_outcome["Upheld; sanction final"][0] == 1


@pytest.mark.django_db
def test_a_category_slower_than_the_rest_over_the_year_is_flagged(
    organisation, make_complaint
) -> None:
    # Over the year to 2026-Q4: racism complaints take 100 days, the rest 40; a year earlier
    # the racism ones were quick (outside the year: not counted).
    for month, day in ((8, 3), (11, 2)):
        for _ in range(5):
            closed(make_complaint, "racism", 100, dt.datetime(2026, month, day, tzinfo=dt.UTC))
    for category in ("bullying", "sexism"):
        for _ in range(6):
            closed(make_complaint, category, 40, dt.datetime(2026, 10, 7, tzinfo=dt.UTC))
    for _ in range(10):
        closed(make_complaint, "racism", 5, dt.datetime(2025, 11, 2, tzinfo=dt.UTC))

    parity = period_figures(organisation, Q4)["parity"]
    assert (parity["from"], parity["to"]) == ("2026-Q1", "2026-Q4")
    assert parity["by_category"]["Racism"] == [10, 100.0, 100.0]
    flags = {flag["category"]: flag for flag in parity["flags"]}
    assert flags["Racism"] == {
        "category": "Racism",
        "median": 100.0,
        "rest_median": 40.0,
        "difference_percent": 150,
    }
    # Each of the others has 6 cases: fewer than the rulebook's 10, so not judged.
    assert set(flags) == {"Racism"}

    # In Q3's year only five racism cases closed: too few to judge.
    assert period_figures(organisation, Q3)["parity"]["flags"] == []


@pytest.mark.django_db
def test_the_published_report_gives_times_where_six_closed_and_the_flags(
    organisation, make_complaint, client: Client
) -> None:
    for _ in range(10):
        closed(make_complaint, "racism", 100, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    for _ in range(12):
        closed(make_complaint, "bullying", 40, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    for _ in range(2):
        closed(make_complaint, "sexism", 10, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    content = report_publish(actor=None, organisation=organisation, period=Q4).content
    times = {row["category"]: (row["median"], row["p90"]) for row in content["times_by_category"]}
    assert times == {"Bullying or harassment": (40.0, 40.0), "Racism": (100.0, 100.0)}
    by_category = next(t for t in content["tables"] if t["name"] == "closed_by_category")
    shown = {row["label"]: row["shown"] for row in by_category["rows"]}
    assert shown["Sexism or misogyny"] == SMALL and shown["Racism"] in {"10", HIDDEN}
    assert [flag["category"] for flag in content["parity"]["flags"]] == [
        "Racism",
        "Bullying or harassment",
    ]

    page = client.get(f"/statistics/{Q4.name}/").content.decode()
    assert "Do some kinds of complaint wait longer?" in page
    assert "Racism: a median of 100 days, against 40 for the rest (150% longer)" in page
    assert "(60% shorter)" in page  # bullying, against racism's 100


@st.composite
def closed_figures(draw: st.DrawFn) -> dict:
    """A quarter's raw figures with many small counts among the closed cases, split three
    ways: by outcome, by who closed them and by category."""
    total = draw(st.integers(min_value=0, max_value=30))

    def split(keys: list[str]) -> dict[str, int]:
        cuts = sorted(
            draw(st.lists(st.integers(0, total), min_size=len(keys) - 1, max_size=len(keys) - 1))
        )
        values = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        return dict(zip(keys, values, strict=True))

    staff = draw(st.integers(min_value=0, max_value=total))
    return {
        "received": 0,
        "by_category": {},
        "by_stage": {},
        "closed": total,
        "outcomes": split(["Upheld", "Not upheld", "No further action"]),
        "closed_by_staff": staff,
        "closed_by_category": split(["Racism", "Antisemitism", "Bullying", "Sexism"]),
        "appeal_results": {},
        "limits": {},
        "appeals_lodged": 0,
        "interim_suspensions": 0,
        "clock_stops": {"asked": {}, "ended": {}, "days_stopped": 0, "escalated": 0},
        "time_to_outcome_days": {"median": None, "p90": None},
        "times_by_category": {},
        "times_by_outcome": {},
        "parity": {"from": "", "to": "", "threshold_percent": 25, "min_cases": 10, "flags": []},
    }


@settings(max_examples=200, deadline=None)
@given(closed_figures())
def test_nothing_hidden_among_the_closed_cases_can_be_pinned(figures: dict) -> None:
    """The closed cases by category share their total with the outcomes and who closed them:
    the attacker who knows every published number and that each table sums to the total
    pins no hidden count of the three."""
    content = report_content(figures)
    counts = {
        "outcomes": figures["outcomes"],
        "closed_by": {
            "Staff (no panel)": figures["closed_by_staff"],
            "Panel": figures["closed"] - figures["closed_by_staff"],
        },
        "closed_by_category": figures["closed_by_category"],
    }
    tables = []
    for published in content["tables"]:
        if published["name"] in counts:
            table = Table(published["name"], counts[published["name"]])
            table.withheld = published["withheld"]
            table.shown = {row["label"]: row["shown"] for row in published["rows"]}
            tables.append(table)
    assert [table.name for table in tables] == ["outcomes", "closed_by", "closed_by_category"]
    group = Group(tables, total_shown=content["closed"])
    ranges = attacker_ranges(group)
    for table in tables:
        for key, shown in table.shown.items():
            if shown in {SMALL, HIDDEN}:
                low, high = ranges[(table.name, key)]
                assert low < high, (table.name, key, table.counts, table.shown)


@pytest.mark.django_db
def test_the_pack_and_the_workload_page_give_the_year_to_date(
    organisation, make_complaint, case_officer
) -> None:
    for _ in range(10):
        closed(make_complaint, "racism", 100, dt.datetime(2026, 9, 2, tzinfo=dt.UTC))
    for _ in range(12):
        closed(make_complaint, "bullying", 40, dt.datetime(2026, 5, 2, tzinfo=dt.UTC))
    for _ in range(3):
        closed(make_complaint, "sexism", 10, dt.datetime(2026, 5, 2, tzinfo=dt.UTC))
    closed(make_complaint, "racism", 1, dt.datetime(2025, 11, 2, tzinfo=dt.UTC))  # a year ago
    now = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)
    parity = pack_content(organisation, since=None, now=now)["parity"]
    assert (parity["from"], parity["to"]) == ("2026-Q1", "2026-Q4")
    assert [flag["category"] for flag in parity["flags"]] == ["Racism", "Bullying or harassment"]
    # Medians only, and only where six or more closed: nothing for sexism's three.
    assert parity["times"] == [
        {"category": "Bullying or harassment", "median": 40.0, "p90": 40.0},
        {"category": "Racism", "median": 100.0, "p90": 100.0},
    ]
    with time_machine.travel(now):
        page = signed_in(case_officer).get(reverse("reporting:workload")).content.decode()
    table = page[
        page.index('id="parity-times"') : page.index("</table>", page.index("parity-times"))
    ]
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))
    # The case team sees the counts, and the categories with too few to time.
    assert "Racism 10 100 100" in cells and "Sexism or misogyny 3 \N{EN DASH} \N{EN DASH}" in cells
    assert "Slower</strong> Racism" in page
