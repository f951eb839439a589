"""Reads about people that the pages and the API share."""

from typing import Any

from django.db.models import QuerySet

from .models import Affiliation, Person

RESPONDENT, COMPLAINANT = "respondent", "complainant"


def case_party_for_affiliations(case: Any, person_id: int) -> tuple[Person, str] | None:
    """The case's respondent or one of its complainants, with their part (the people whose
    affiliations keep those with a declared interest off the case); None for anyone else."""
    if person_id == case.respondent_id:
        return case.respondent, RESPONDENT
    party = (
        case.parties.filter(person_id=person_id, role=COMPLAINANT).select_related("person").first()
    )
    return (party.person, COMPLAINANT) if party else None


def affiliation_of_case(case: Any, pk: int) -> Affiliation | None:
    """An affiliation of this case's respondent or one of its complainants, or None."""
    affiliation = Affiliation.objects.filter(pk=pk).select_related("person").first()
    if affiliation is None or case_party_for_affiliations(case, affiliation.person_id) is None:
        return None
    return affiliation


def active_affiliations(people: list[int]) -> QuerySet[Affiliation]:
    return Affiliation.objects.filter(person_id__in=people, ended_at__isnull=True).order_by("pk")
