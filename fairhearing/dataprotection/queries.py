import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from fairhearing.cases.models import Case

from .models import Anonymisation, LegalHold, SubjectAccessRequest
from .retention import retention_years


def active_hold(case: Case) -> LegalHold | None:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).first()


@dataclass(frozen=True)
class Retention:
    years: int
    anonymise_after: dt.datetime | None
    anonymised: Anonymisation | None


def retention_for(case: Case) -> Retention:
    years = retention_years(case)
    after = None
    if case.closed_at:
        after = (
            case.closed_at.replace(year=case.closed_at.year + years)
            if not (case.closed_at.month == 2 and case.closed_at.day == 29)
            else case.closed_at.replace(year=case.closed_at.year + years, day=28)
        )
    return Retention(years, after, Anonymisation.objects.filter(case=case).first())


def subject_access_requests(organisation_id: int) -> QuerySet[SubjectAccessRequest]:
    return SubjectAccessRequest.objects.filter(organisation_id=organisation_id).select_related(
        "person"
    )


def legal_holds_due(organisation_id: int) -> QuerySet[LegalHold]:
    """Active holds whose review date has come, oldest first."""
    from django.utils import timezone

    return (
        LegalHold.objects.filter(
            case__organisation_id=organisation_id,
            lifted_at__isnull=True,
            review_on__lte=timezone.localdate(),
        )
        .select_related("case")
        .order_by("review_on", "pk")
    )
