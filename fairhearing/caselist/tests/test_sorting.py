"""The case list's orders (caselist/queries.py): what each sorts by, where each is offered, and
"Overdue" by days overdue read from the time limits' side."""

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fairhearing.caselist.queries import (
    BOUNDED,
    DEFAULT_SORT,
    QUEUES,
    SORTS,
    RankedByNextDue,
    case_list,
    sort_in_force,
    sort_offered,
)
from fairhearing.cases.access import cases_visible_to
from fairhearing.cases.models import Assignment, Case
from fairhearing.conftest import signed_in
from fairhearing.deadlines.models import Deadline
from fairhearing.organisations.models import Organisation
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def listed(user, queue: str, sort: str, **filters) -> list[str]:
    spec = Organisation.objects.get(pk=user.organisation_id).current_rulebook().spec
    rows = case_list(
        cases_visible_to(user), queue=queue, user=user, sort=sort, spec=spec, **filters
    )
    return list(rows.values_list("reference", flat=True))


@pytest.fixture
def mine(make_complaint, case_officer):
    """Four of the officer's cases, each told apart by every column: opened a day apart (a
    first), in categories and stages whose keys sort otherwise than their labels and the
    process, with a limit overdue by 3 days, by 1 day, due in 2 days, and none running."""
    shapes = {
        "a": ("lgbt", "received", -3, 4),  # "Homophobia, biphobia or transphobia"
        "b": ("islamophobia", "verification", -1, 3),
        "c": ("misconduct", "assessment", 2, 2),  # "Other misconduct"
        "d": ("online_abuse", "notice", None, 1),
    }
    now = timezone.now()
    made = {}
    for name, (category, stage, due_in_days, opened_days_ago) in shapes.items():
        case = make_complaint(category=category).cases.get()
        case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
        Case.objects.filter(pk=case.pk).update(stage=stage, opened_at=now - opened_days_ago * DAY)
        running = case.deadlines.filter(status=Deadline.Status.OPEN)
        if due_in_days is None:
            running.update(status=Deadline.Status.CLOSED, closed_at=now)
        else:
            running.update(due_at=now + due_in_days * DAY, binds=Deadline.Binds.ORGANISATION)
        made[name] = case.reference
    return made


def in_order(mine: dict[str, str], names: str) -> list[str]:
    return [mine[name] for name in names]


def test_each_column_sorts_as_the_page_shows_it(mine, case_officer) -> None:
    def order(sort: str) -> list[str]:
        return listed(case_officer, "mine", sort)

    assert order(DEFAULT_SORT) == in_order(mine, "dcba")  # newest first
    assert order("opened") == in_order(mine, "abcd")
    assert order("reference") == sorted(mine.values())
    assert order("-reference") == sorted(mine.values(), reverse=True)
    # By label (Homophobia, Islamophobia, Online abuse, Other misconduct), not by key.
    assert order("category") == in_order(mine, "abdc")
    assert order("-category") == in_order(mine, "cdba")
    # In the order of the process (received, assessment, notice, verification), not by key.
    assert order("stage") == in_order(mine, "acdb")
    assert order("-stage") == in_order(mine, "bdca")
    # Soonest first, the case with no running limit last; reversed, it comes first.
    assert order("next_due") == in_order(mine, "abcd")
    assert order("-next_due") == in_order(mine, "dcba")
    # Fewest days overdue first (not overdue counts as none: newest first among those).
    assert order("days_overdue") == in_order(mine, "dcba")
    assert order("-days_overdue") == in_order(mine, "abcd")


def test_the_computed_orders_are_offered_only_where_the_list_is_bounded() -> None:
    assert "respondent" not in SORTS  # names are encrypted: the database cannot order them
    for queue in QUEUES:
        for key in ("reference", "opened"):
            assert sort_offered(key, queue) and sort_offered(f"-{key}", queue, searching=True)
        for key in ("category", "stage", "next_due"):
            assert sort_offered(key, queue) == (queue in BOUNDED)
            assert not sort_offered(key, queue, searching=True)
        assert sort_offered("-days_overdue", queue) == (queue in {*BOUNDED, "overdue"})
    assert BOUNDED == ("mine", "awaiting_me", "due_this_week")
    assert not sort_offered("respondent", "mine") and not sort_offered("", "mine")
    assert sort_in_force("next_due", "all") == DEFAULT_SORT
    assert sort_in_force("-stage", "mine") == "-stage"


def test_a_sort_not_offered_lists_newest_first(mine, case_officer) -> None:
    assert listed(case_officer, "all", "next_due") == listed(case_officer, "all", DEFAULT_SORT)
    assert listed(case_officer, "mine", "respondent") == in_order(mine, "dcba")


@pytest.fixture
def overdue(make_complaint, case_officer):
    """Three overdue cases (one with two overdue limits) and one due later."""
    now = timezone.now()
    made = {}
    for name, days in {"x": 2, "y": 9, "z": 5, "later": -3}.items():
        case = make_complaint().cases.get()
        case.deadlines.filter(status=Deadline.Status.OPEN).update(
            due_at=now - days * DAY, binds=Deadline.Binds.ORGANISATION
        )
        made[name] = case
    Deadline.objects.create(
        case=made["x"],
        kind="extra",
        label="Another limit",
        binds=Deadline.Binds.ORGANISATION,
        working_days=5,
        due_at=now - 12 * DAY,
    )
    return {name: case.reference for name, case in made.items()}


def test_overdue_by_days_overdue_is_each_overdue_case_once(overdue, case_officer) -> None:
    most_first = listed(case_officer, "overdue", "-days_overdue")
    # x is 12 days overdue by its earlier limit: listed once, first.
    assert most_first == [overdue["x"], overdue["y"], overdue["z"]]
    assert listed(case_officer, "overdue", "days_overdue") == most_first[::-1]
    assert set(most_first) == set(listed(case_officer, "overdue", DEFAULT_SORT))
    # Filters still apply within it.
    assert listed(case_officer, "overdue", "-days_overdue", assignee="unassigned") == most_first
    assert listed(case_officer, "overdue", "-days_overdue", stage="appeal") == []
    rows = case_list(
        cases_visible_to(case_officer),
        queue="overdue",
        user=case_officer,
        sort="-days_overdue",
    )
    pairs = [(getattr(row, "first_overdue_at"), getattr(row, "overdue_since")) for row in rows]  # noqa: B009
    assert len(pairs) == 3 and all(first == since for first, since in pairs)


@pytest.fixture
def week(make_complaint, case_officer, investigator):
    """Six cases with a time limit binding the organisation due this week, told apart by next
    due: p's next due is its respondent's reply tomorrow (before its limit in the week), q
    has one overdue besides, r and s share one instant (opened a day apart), t is on another
    officer's team (not visible to the case officer), u is closed; v's limit is next week."""
    now = timezone.now().replace(microsecond=0)
    shared = now + 4 * DAY
    shapes = {
        "p": (5 * DAY, 1 * DAY),
        "q": (3 * DAY, -2 * DAY),
        "r": (shared - now, None),
        "s": (shared - now, None),
        "t": (2 * DAY, None),
        "u": (1 * DAY, None),
        "v": (9 * DAY, None),
    }
    made = {}
    for opened, (name, (in_week, other)) in enumerate(shapes.items()):
        case = make_complaint().cases.get()
        Case.objects.filter(pk=case.pk).update(opened_at=now - (10 - opened) * DAY)
        case.deadlines.filter(status=Deadline.Status.OPEN).update(
            due_at=now + in_week, binds=Deadline.Binds.ORGANISATION
        )
        if other is not None:
            reply = other > dt.timedelta()
            binds = Deadline.Binds.RESPONDENT if reply else Deadline.Binds.ORGANISATION
            Deadline.objects.create(
                case=case,
                kind="extra",
                label="Another limit",
                binds=binds,
                working_days=5,
                due_at=now + other,
            )
        made[name] = case
    case_assign(actor=None, case=made["t"], user=investigator, role=Assignment.Role.INVESTIGATOR)
    Case.objects.filter(pk=made["u"].pk).update(closed_at=now)
    Case.objects.filter(pk=made["r"].pk).update(stage="notice")
    return {name: case.reference for name, case in made.items()}


def test_due_this_week_by_next_due_ranked_from_the_time_limits(week, case_officer) -> None:
    """`RankedByNextDue` (the list page's way at scale) pages through the same rows in the
    same order as `case_list`, in both directions and with a filter."""
    spec = Organisation.objects.get(pk=case_officer.organisation_id).current_rulebook().spec

    def both(sort: str, **filters) -> tuple[list[str], list[str]]:
        rows = case_list(
            cases_visible_to(case_officer),
            queue="due_this_week",
            user=case_officer,
            sort=sort,
            spec=spec,
            **filters,
        )
        ranked = RankedByNextDue(rows, descending=sort.startswith("-"))
        pages = [case.reference for start in (0, 2, 4) for case in ranked[start : start + 2]]
        return pages, [case.reference for case in rows]

    # q (overdue) first, then p (reply tomorrow); s before r at the same instant (newer first).
    expected = in_order(week, "qpsr")
    assert both("next_due") == (expected, expected)
    assert both("-next_due") == (expected[::-1], expected[::-1])
    assert both("next_due", stage="notice") == ([week["r"]], [week["r"]])
    ranked = RankedByNextDue(
        case_list(cases_visible_to(case_officer), queue="due_this_week", user=case_officer),
        descending=False,
    )
    assert ranked.count() == len(ranked) == 4
    first: Any = ranked[0:1][0]
    assert first.next_due_at < timezone.now() and first.is_overdue  # annotated as the list's


def test_the_page_lists_due_this_week_by_next_due_in_that_order(week, case_officer) -> None:
    client = signed_in(case_officer)
    for sort, names in (("next_due", "qpsr"), ("-next_due", "rspq")):
        page = client.get(reverse("cases:list"), {"queue": "due_this_week", "sort": sort})
        html = page.content.decode()
        shown = [ref for ref in re.findall(r"[A-Z]{2,}-\d{4}-\d+", html) if ref in week.values()]
        assert list(dict.fromkeys(shown)) == in_order(week, names)
        assert week["t"] not in html and week["u"] not in html
    filtered = client.get(
        reverse("cases:list"), {"queue": "due_this_week", "sort": "next_due", "stage": "notice"}
    ).content.decode()
    assert week["r"] in filtered and week["q"] not in filtered
