"""Reads about people that the pages and the API share."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import (
    NAME_PREFIX_MAX,
    NAME_PREFIX_MIN,
    Affiliation,
    NameToken,
    Person,
    name_prefix_digests,
    name_words,
)

# Past this many people, a search by part of a name lists none of them and asks for more of
# the name: the cases of a thousand people are more than anyone reads, and materialising
# them is what would make a search slow at a million cases.
NAME_MATCHES_MAX = 1000

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


@dataclass(frozen=True)
class NameMatches:
    """The people a search by part of a name found, or `too_many` (and none) past
    `NAME_MATCHES_MAX`."""

    people: list[int]
    too_many: bool = False


def people_named_like(organisation_id: int, search: str) -> NameMatches | None:
    """The organisation's people with a word of their name starting with each word of the
    search (case and accents aside), through the blind index (`NameToken`): "bram okaf"
    finds Bramwell Okafor. Words shorter than `NAME_PREFIX_MIN` letters are left out, and
    None is returned when none is left (the search is not part of a name). Anonymised people
    are not indexed, so never found."""
    words = sorted(
        {word[:NAME_PREFIX_MAX] for word in name_words(search, parts=False)},
        key=len,
        reverse=True,  # the longest word first: usually the one that matches fewest
    )
    words = [word for word in words if len(word) >= NAME_PREFIX_MIN]
    if not words:
        return None
    first, *others = name_prefix_digests(organisation_id, words)
    # One indexed look-up per word on (digest, person), the others narrowing the first.
    found = NameToken.objects.filter(digest=first)
    for digest in others:
        found = found.filter(person_id__in=NameToken.objects.filter(digest=digest).values("person"))
    people = list(found.values_list("person_id", flat=True)[: NAME_MATCHES_MAX + 1])
    if len(people) > NAME_MATCHES_MAX:
        return NameMatches([], too_many=True)
    return NameMatches(people)
