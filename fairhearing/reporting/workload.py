"""The case team's workload, for those who share out the cases: open cases by officer, how
long open cases have waited at their stage, time limits breached and cases opened and closed
week by week. Counts only: no party is named, and a few grouped queries read it."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from fairhearing.accounts.models import User
from fairhearing.cases.models import Assignment, Case
from fairhearing.deadlines.models import Deadline
from fairhearing.organisations.models import Organisation, Rulebook

WEEKS = 12
# How long an open case has been at its stage: the ageing bands, in days.
AGES = [(0, 14, "Under 2 weeks"), (14, 42, "2 to 6 weeks"), (42, 84, "6 to 12 weeks")]
OLDEST = "12 weeks or more"


@dataclass(frozen=True)
class Officer:
    name: str
    role: str
    open_cases: int
    overdue: int
    due_this_week: int


@dataclass(frozen=True)
class StageAge:
    stage: str
    label: str
    counts: list[int]  # one per ageing band, then the oldest

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Week:
    starts_on: dt.date
    opened: int
    closed: int
    breached: int


@dataclass(frozen=True)
class Workload:
    officers: list[Officer]
    unassigned: int
    stages: list[StageAge]
    bands: list[str]
    weeks: list[Week]


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def workload(organisation_id: int, *, now: dt.datetime | None = None) -> Workload:
    now = now or timezone.now()
    open_cases = Case.objects.filter(organisation_id=organisation_id, closed_at__isnull=True)
    ours = Deadline.objects.filter(
        case=OuterRef("case"), status=Deadline.Status.OPEN, binds=Deadline.Binds.ORGANISATION
    )
    rows = list(
        Assignment.objects.filter(ended_at__isnull=True, case__in=open_cases)
        .annotate(
            late=Exists(ours.filter(due_at__lt=now)),
            soon=Exists(ours.filter(due_at__gte=now, due_at__lt=now + dt.timedelta(days=7))),
        )
        .values("user_id", "role")
        .annotate(
            cases=Count("case_id", distinct=True),
            overdue=Count("case_id", filter=Q(late=True), distinct=True),
            soon_count=Count("case_id", filter=Q(soon=True), distinct=True),
        )
        .order_by("-cases", "user__last_name", "user__username")
    )
    roles = dict(Assignment.Role.choices)
    users = User.objects.in_bulk([r["user_id"] for r in rows])
    officers = [
        Officer(
            name=users[r["user_id"]].display_name,
            role=roles.get(r["role"], r["role"]),
            open_cases=r["cases"],
            overdue=r["overdue"],
            due_this_week=r["soon_count"],
        )
        for r in rows
    ]
    unassigned = open_cases.exclude(
        Exists(Assignment.objects.filter(case=OuterRef("pk"), ended_at__isnull=True))
    ).count()

    bands = [label for _, _, label in AGES] + [OLDEST]
    conditions: dict[str, Any] = {}
    for index, (low, high, _) in enumerate(AGES):
        conditions[f"band{index}"] = Count(
            "pk",
            filter=Q(
                stage_entered_at__lte=now - dt.timedelta(days=low),
                stage_entered_at__gt=now - dt.timedelta(days=high),
            ),
        )
    conditions["oldest"] = Count(
        "pk", filter=Q(stage_entered_at__lte=now - dt.timedelta(days=AGES[-1][1]))
    )
    by_stage = {
        r["stage"]: r for r in open_cases.values("stage").annotate(**conditions).order_by("stage")
    }
    # In the current rulebook's order; a stage only an older rulebook has, after them.
    current = Organisation.objects.get(pk=organisation_id).current_rulebook_spec().stage_labels
    labels = dict(current)
    if set(by_stage) - set(labels):
        for rulebook in Rulebook.objects.filter(organisation_id=organisation_id).order_by(
            "-version"
        ):
            for key, label in rulebook.spec.stage_labels.items():
                labels.setdefault(key, label)
    order = [key for key in current if key in by_stage] + sorted(set(by_stage) - set(current))
    stages = [
        StageAge(
            key,
            labels.get(key) or key,
            [by_stage[key][f"band{i}"] for i in range(len(AGES))] + [by_stage[key]["oldest"]],
        )
        for key in order
    ]

    first = _week_start(timezone.localdate(now)) - dt.timedelta(weeks=WEEKS - 1)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    cases = Case.objects.filter(organisation_id=organisation_id)
    opened = _per_week(cases.filter(opened_at__gte=since).values_list("opened_at", flat=True))
    closed = _per_week(cases.filter(closed_at__gte=since).values_list("closed_at", flat=True))
    # Breached in the week it fell due: still running past it, or met only after it (read
    # from the limits themselves, not from the sweep that marks them lapsed).
    breached = _per_week(
        Deadline.objects.filter(
            case__organisation_id=organisation_id,
            binds=Deadline.Binds.ORGANISATION,
            due_at__gte=since,
            due_at__lt=now,
        )
        .filter(
            Q(status=Deadline.Status.OPEN)
            | Q(status=Deadline.Status.CLOSED, closed_at__gt=F("due_at"))
        )
        .values_list("due_at", flat=True)
    )
    weeks = [
        Week(
            starts_on=first + dt.timedelta(weeks=i),
            opened=opened.get(first + dt.timedelta(weeks=i), 0),
            closed=closed.get(first + dt.timedelta(weeks=i), 0),
            breached=breached.get(first + dt.timedelta(weeks=i), 0),
        )
        for i in range(WEEKS)
    ]
    return Workload(officers, unassigned, stages, bands, weeks)


def _per_week(times: Any) -> dict[dt.date, int]:
    counts: dict[dt.date, int] = {}
    for at in times:
        week = _week_start(timezone.localdate(at))
        counts[week] = counts.get(week, 0) + 1
    return counts
