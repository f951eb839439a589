"""The blind index of names (people.models.NameToken): the words a name is cut into, the
prefixes indexed, and the index kept in step wherever a name is written."""

from typing import Any

import pytest
from django.utils import timezone

from fairhearing.organisations.services import organisation_create
from fairhearing.people.models import (
    NameToken,
    Person,
    name_digests,
    name_prefix_digests,
    name_words,
)
from fairhearing.people.services import PersonDetails, people_find_or_create

pytestmark = pytest.mark.django_db


def unindexed(organisation: Any) -> list[str]:
    """The organisation's people whose index rows are not exactly their name's: none, when
    every path that writes a name keeps the index in step (anonymised people have none)."""
    wrong = []
    for person in Person.objects.filter(organisation=organisation):
        held = set(NameToken.objects.filter(person=person).values_list("digest", flat=True))
        wanted = (
            set()
            if person.anonymised_at is not None
            else name_digests(person.organisation_id, person.full_name)
        )
        if held != wanted:
            wrong.append(person.full_name)
    return wrong


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Bramwell Okafor", ["bramwell", "okafor"]),
        ("  ZOË  Ångström-Lund ", ["zoe", "angstrom", "lund"]),
        ("Siobhán O'Reilly", ["siobhan", "oreilly", "o", "reilly"]),
        ("d\u2019Artagnan", ["dartagnan", "d", "artagnan"]),
        ("Straße 2nd", ["strasse", "nd"]),
        ("\uff26\uff55\uff4c\uff4cwidth", ["fullwidth"]),
        ("Łukasz Żółć", ["łukasz", "zołc"]),  # ł has no decomposition: kept as it is
        ("Ναταλία Παππά", ["ναταλια", "παππα"]),
        ("'quoted'", ["quoted"]),
        ("", []),
        ("12 34", []),
    ],
)
def test_a_name_is_cut_into_case_folded_words_without_accents(name, words) -> None:
    assert name_words(name) == words


def test_a_search_looks_for_the_joined_word_only() -> None:
    assert name_words("o'rei", parts=False) == ["orei"]


def test_every_prefix_of_three_to_sixteen_letters_is_indexed(organisation) -> None:
    long = "Abcdefghijklmnopqrstuvwxyz"
    assert name_digests(organisation.pk, f"Bo Okafor {long}") == set(
        name_prefix_digests(
            organisation.pk,
            ["oka", "okaf", "okafo", "okafor", *(long.lower()[:n] for n in range(3, 17))],
        )
    )


def test_the_same_prefix_digests_differently_in_another_organisation(organisation) -> None:
    other = organisation_create(actor=None, name="Other", slug="other", reference_prefix="OT")
    assert name_digests(organisation.pk, "Okafor") != name_digests(other.pk, "Okafor")
    assert not name_digests(organisation.pk, "Okafor") & name_digests(other.pk, "Okafor")


def test_saving_creating_and_updating_keep_the_index_in_step(organisation) -> None:
    person = Person.objects.create(organisation=organisation, full_name="Bramwell Okafor")
    assert unindexed(organisation) == []
    assert NameToken.objects.filter(person=person).count() == len(
        name_digests(organisation.pk, "Bramwell Okafor")
    )
    person.full_name = "Bramley Oduya"
    person.save()
    assert unindexed(organisation) == []
    person.email = "bramley@example.invalid"
    person.save(update_fields=["email"])
    Person.objects.filter(pk=person.pk).update(full_name="Cosmo Finch")
    assert unindexed(organisation) == []
    assert NameToken.objects.filter(person=person).exists()
    Person.objects.filter(pk=person.pk).update(
        full_name="Anonymised person", anonymised_at=timezone.now()
    )
    assert unindexed(organisation) == []
    assert not NameToken.objects.filter(person=person).exists()


def test_the_bulk_path_indexes_as_saving_does(organisation) -> None:
    details = [
        PersonDetails(full_name="Bramwell Okafor", membership_number="M1"),
        PersonDetails(full_name="Zoë Quist"),
        PersonDetails(full_name="Bramwell Okafor", membership_number="M1"),  # found again
    ]
    found = people_find_or_create(organisation_id=organisation.pk, details=details)
    assert found[0].person.pk == found[2].person.pk
    assert unindexed(organisation) == []
    assert NameToken.objects.filter(person=found[0].person).count() == len(
        name_digests(organisation.pk, "Bramwell Okafor")
    )
