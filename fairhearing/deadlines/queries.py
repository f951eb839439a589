"""Reads of cases with their time limits: the case list, whose rows show what is next due and
what is overdue, and the queues staff work from."""

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fairhearing.cases.models import Assignment, Case
from fairhearing.cases.queries import search_matches
from fairhearing.core.pagination import CAP

from .models import Deadline

# The queues, in the order the case list shows them (keys are the `queue` query parameter).
# "Awaiting me": open cases on my team whose next step is the organisation's: a time limit
# that binds us is running (not the respondent's reply window, nor a paused limit).
QUEUES = {
    "mine": "Assigned to me",
    "awaiting_me": "Awaiting me",
    "due_this_week": "Due this week",
    "overdue": "Overdue",
    "unassigned": "Unassigned",
    "all": "All cases",
}
ALL = "all"
WEEK = dt.timedelta(days=7)
# Queue counts stop where the list's own count does (core/pagination.py): "1,000+".
COUNT_CAP = CAP
C = TypeVar("C", bound=Case)


def _ours() -> QuerySet[Deadline]:
    """Running time limits that bind the organisation (`deadline_status_due` serves them)."""
    return Deadline.objects.filter(status=Deadline.Status.OPEN, binds=Deadline.Binds.ORGANISATION)


def _on_my_team(user: Any) -> Q:
    return Q(
        Exists(Assignment.objects.filter(case=OuterRef("pk"), user=user, ended_at__isnull=True))
    )


def _windows(now: dt.datetime) -> dict[str, Q]:
    """The time-limit queues: which running limits binding the organisation put a case there."""
    return {
        "due_this_week": Q(due_at__gte=now, due_at__lt=now + WEEK),
        "overdue": Q(due_at__lt=now),
    }


def queue_condition(queue: str, user: Any, now: dt.datetime) -> Q:
    """The cases of `queue` for `user`, open or closed (an unknown queue, or "all", is every
    case)."""
    if queue == "mine":
        return _on_my_team(user)
    if queue == "awaiting_me":
        return _on_my_team(user) & Q(pk__in=_ours().values("case_id"))
    if window := _windows(now).get(queue):
        return Q(pk__in=_ours().filter(window).values("case_id"))
    if queue == "unassigned":
        return ~Q(Exists(Assignment.objects.filter(case=OuterRef("pk"), ended_at__isnull=True)))
    return Q()


def queue_cases(visible: QuerySet[C], queue: str, user: Any, now: dt.datetime) -> QuerySet[C]:
    """`visible` narrowed to `queue`: every queue but "all" holds open cases only."""
    if queue not in QUEUES or queue == ALL:
        return visible
    return visible.filter(queue_condition(queue, user, now), closed_at__isnull=True)


def _counted(visible: QuerySet[Case], queue: str, user: Any, now: dt.datetime) -> QuerySet[Any]:
    """The rows that count `queue`'s cases, one per case, at most `COUNT_CAP` + 1.

    The time-limit queues are counted from the time limits' side: each case's first such limit
    (no other with a smaller key), read by index, then its case looked up by key and checked
    against `visible`. Counted from the cases' side, PostgreSQL made the case keys of every
    overdue limit unique before it could stop at 1,001 (a hash of 52,000 limits at 100,000
    cases, 31 ms, against 3 ms so)."""
    window = _windows(now).get(queue)
    if window is None:
        rows: QuerySet[Any] = queue_cases(visible, queue, user, now)
    else:
        limits = _ours().filter(window)
        earlier = limits.filter(case=OuterRef("case_id"), pk__lt=OuterRef("pk"))
        rows = limits.exclude(Exists(earlier)).filter(
            Exists(visible.filter(pk=OuterRef("case_id"), closed_at__isnull=True))
        )
    return rows.order_by().values("pk")[: COUNT_CAP + 1]


def queue_counts(visible: QuerySet[Case], user: Any) -> dict[str, int]:
    """How many cases each queue holds, each counted up to `COUNT_CAP` + 1 (`COUNT(*)` over
    `... LIMIT 1001`: past that, counting every row over a million cases would cost more than
    the page). One statement for all six, each count a scalar subquery: a statement costs
    about as much in Python as a small query does in the database."""
    now = timezone.now()
    parts: list[str] = []
    params: list[Any] = []
    for index, queue in enumerate(QUEUES):
        try:
            sql, sql_params = _counted(visible, queue, user, now).query.sql_with_params()
        except EmptyResultSet:  # no case could match (a role that reaches none)
            sql, sql_params = "SELECT 1 WHERE 1 = 0", ()
        # Django's own compiled SQL, its values still parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS queue_{index})")  # noqa: S608
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {queue: int(count) for queue, count in zip(QUEUES, row, strict=True)}


def case_list(
    visible: QuerySet[Case],
    *,
    queue: str = ALL,
    user: Any = None,
    stage: str = "",
    category: str = "",
    overdue: bool = False,
    assignee: str = "",
    search: str = "",
    found: set[int] | None = None,
) -> QuerySet[Case]:
    """Filtered cases, each annotated with `is_overdue`, `overdue_since` (the earliest overdue
    limit binding the organisation) and `next_due_at`, newest first. A `queue` (for `user`)
    narrows them first; a search looks through every visible case, whatever the queue: the
    cases `found` by it, when the caller has looked them up (`search_found`), else those
    `search_matches` gives in the user's organisation (none without a user)."""
    now = timezone.now()
    running = Deadline.objects.filter(case=OuterRef("pk"), status=Deadline.Status.OPEN)
    overdue_now = running.filter(due_at__lt=now, binds=Deadline.Binds.ORGANISATION)
    queryset = (
        visible.select_related("respondent")
        .annotate(
            # Scalar subqueries with LIMIT 1, not EXISTS or MIN over a join: they run for the
            # page's rows only, after LIMIT. As an EXISTS, PostgreSQL hashed every overdue time
            # limit of the organisation to mark 25 rows; a join would group every visible case
            # (benchmarks/case_list.py, benchmarks/at_scale.py).
            is_overdue=Coalesce(
                Subquery(overdue_now.annotate(yes=Value(True)).values("yes")[:1]),
                Value(False),
                output_field=BooleanField(),
            ),
            next_due_at=Subquery(running.order_by("due_at").values("due_at")[:1]),
            overdue_since=Subquery(overdue_now.order_by("due_at").values("due_at")[:1]),
        )
        .order_by("-opened_at", "-pk")
    )
    if user is not None and not search:
        queryset = queue_cases(queryset, queue, user, now)
    if stage:
        queryset = queryset.filter(stage=stage)
    if category:
        queryset = queryset.filter(category=category)
    if overdue:
        queryset = queryset.filter(Exists(overdue_now))
    if assignee == "unassigned":
        queryset = queryset.exclude(
            Exists(Assignment.objects.filter(case=OuterRef("pk"), ended_at__isnull=True))
        )
    elif assignee and not (assignee.isascii() and assignee.isdigit() and len(assignee) <= 18):
        queryset = queryset.none()  # not a user id (nor one that fits a database integer)
    elif assignee:
        queryset = queryset.filter(
            Exists(
                Assignment.objects.filter(
                    case=OuterRef("pk"), user_id=assignee, ended_at__isnull=True
                )
            )
        )
    if search:
        if found is None:
            found = search_matches(search, organisation_id=user.organisation_id) if user else set()
        queryset = queryset.filter(pk__in=found)
    return queryset
