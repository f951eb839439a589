"""Reads of cases with their time limits: the case list, whose rows show what is next due and
what is overdue."""

from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fairhearing.cases.models import Assignment, Case
from fairhearing.cases.queries import search_matches

from .models import Deadline


def case_list(
    visible: QuerySet[Case],
    *,
    stage: str = "",
    category: str = "",
    overdue: bool = False,
    assignee: str = "",
    search: str = "",
) -> QuerySet[Case]:
    """Filtered cases, each annotated with `overdue` and `next_due_at`, newest first."""
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
        )
        .order_by("-opened_at", "-pk")
    )
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
        found = search_matches(search)
        queryset = queryset.filter(pk__in=found)
    return queryset
