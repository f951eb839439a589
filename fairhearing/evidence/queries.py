"""Reads of evidence that views, the API and the portal share."""

from django.db.models import QuerySet

from fairhearing.cases.models import Case

from .models import EvidenceItem


def evidence_of(case: Case) -> QuerySet[EvidenceItem]:
    return (
        EvidenceItem.objects.filter(case=case)
        .select_related("blob", "added_by", "added_by_person")
        .order_by("number")
    )


def evidence_item(case: Case, number: int) -> EvidenceItem:
    """The case's item with this number; 404 for any other (an id never reaches another case)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(evidence_of(case), number=number)
