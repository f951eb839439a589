"""Reads of a sanction's conditions, for the case page, the follow-up list and the API."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, QuerySet, Value, When

from fairhearing.cases.models import Case

from .models import Condition


def conditions_of(case: Case) -> list[Condition]:
    """Every condition of the case, open ones first, each by its date."""
    return sorted(
        Condition.objects.filter(case=case).select_related("finished_by", "created_by"),
        key=lambda c: (not c.is_open, c.due_on, c.pk),
    )


@dataclass(frozen=True)
class FollowUp:
    condition: Condition
    overdue: bool
    days: int  # days overdue (positive) or until due (negative or zero)


def conditions_to_follow_up(cases: QuerySet[Case], *, today: dt.date) -> list[FollowUp]:
    """The open conditions (ends aside) of `cases` (those the reader may act on): overdue
    first, longest overdue first, then by date."""
    rows = (
        Condition.objects.filter(case__in=cases, status=Condition.Status.OPEN)
        .exclude(kind=Condition.Kind.SANCTION_END)
        .select_related("case", "case__respondent")
        .annotate(
            late=SqlCase(
                When(due_on__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("late", "due_on", "pk")
    )
    return [
        FollowUp(condition=c, overdue=c.due_on < today, days=(today - c.due_on).days) for c in rows
    ]


def ends_to_come(cases: QuerySet[Case], *, today: dt.date, limit: int = 50) -> list[Condition]:
    """Suspensions and re-admission bars of `cases` still running, soonest end first."""
    return list(
        Condition.objects.filter(
            case__in=cases, status=Condition.Status.OPEN, kind=Condition.Kind.SANCTION_END
        )
        .select_related("case", "case__respondent")
        .order_by("due_on", "pk")[:limit]
    )


def condition_summary(condition: Condition) -> dict[str, Any]:
    """A condition as the API gives it (no internal names: the kind and status as words)."""
    return {
        "id": condition.pk,
        "case": condition.case.reference,
        "kind": condition.get_kind_display(),
        "description": condition.description,
        "due_on": condition.due_on.isoformat(),
        "status": condition.get_status_display(),
        "finished_at": condition.finished_at.isoformat() if condition.finished_at else None,
        "has_proof": condition.proof_id is not None,
    }
