"""Search that finds people (issue 21, item 2): part of a name through the blind index, the
start of a reference through its index, on the respondent or any party; what is too broad to
list says so; a search that only partly matches a hidden case is not recorded as an attempt
on it, one that names it is."""

import pytest
from django.urls import reverse

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Assignment
from fairhearing.cases.queries import search_found
from fairhearing.conftest import make_user, signed_in
from fairhearing.oversight.models import AccessAttempt
from fairhearing.people import queries as people_queries
from fairhearing.people.models import NameToken, Person

from .. import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_complaint):
    """Three cases, each complained of by a Priya Callender of its own."""
    return {
        name: make_complaint(respondents=(name,)).cases.get()
        for name in ("Bramwell Okafor", "Abraham Quist", "Zoë Ångström-O\u2019Reilly")
    }


def found(organisation, words: str, cases) -> set[str]:
    pks = search_found(words, organisation_id=organisation.pk).cases
    return {name for name, case in cases.items() if case.pk in pks}


BRAMWELL, ABRAHAM, ZOE = "Bramwell Okafor", "Abraham Quist", "Zoë Ångström-O\u2019Reilly"


@pytest.mark.parametrize(
    ("words", "names"),
    [
        ("bram", {BRAMWELL}),  # the start of a word, not any part: not Abraham
        ("okaf", {BRAMWELL}),
        ("BRAM okaf", {BRAMWELL}),
        ("  okafor,  Bramwell ", {BRAMWELL}),
        ("bramwell okafor", {BRAMWELL}),
        ("abr", {ABRAHAM}),
        ("bram quist", set()),  # every word in the name of one person
        ("xyz", set()),
        ("br", set()),  # too short to be part of a name
        ("ok af", set()),
        ("zoe", {ZOE}),  # accents and case aside
        ("ZOË ång", {ZOE}),
        ("angstrom", {ZOE}),
        ("o'reilly", {ZOE}),  # an apostrophe, straight or curly, joins the word
        ("oreil", {ZOE}),
        ("reilly", {ZOE}),
        ("callender", {BRAMWELL, ABRAHAM, ZOE}),  # a party: the complainant
        ("bramwellokaforbramwell", set()),  # longer than any word: cut to 16 letters
        ("%", set()),
        ("bra%", {BRAMWELL}),  # as "bra": a separator, never a wildcard
        ("_ram", set()),  # as "ram": no word starts with it
    ],
)
def test_part_of_a_name_finds_the_cases_of_people_with_it(
    organisation, cases, words, names
) -> None:
    assert found(organisation, words, cases) == names


def test_the_start_of_a_reference_finds_cases_and_complaints(organisation, cases) -> None:
    references = {name: case.reference for name, case in cases.items()}
    assert set(references.values()) == {"FH-2026-00001", "FH-2026-00002", "FH-2026-00003"}
    assert found(organisation, "fh-2026-0000", cases) == set(cases)
    assert found(organisation, "FH-2026-00002", cases) == {ABRAHAM}
    assert found(organisation, " FH-2026 ", cases) == set(cases)
    assert found(organisation, "FHC-2026-00003", cases) == {ZOE}  # its complaint
    assert found(organisation, "FHC-2026-0000", cases) == set(cases)
    # Not a reference's start: no wildcard, nothing but letters, a dash and digits.
    for words in ("FH-2026-0000_", "FH-2026-%", "FH-", "FH", "2026-00001", "FH 2026"):
        assert found(organisation, words, cases) == set(), words


def test_too_many_people_or_references_are_too_broad_and_find_none(
    organisation, cases, monkeypatch
) -> None:
    monkeypatch.setattr(people_queries, "NAME_MATCHES_MAX", 2)
    monkeypatch.setattr(queries, "REFERENCE_MATCHES_MAX", 2)
    broad = search_found("priya", organisation_id=organisation.pk)  # three Priyas
    assert broad.too_broad and broad.cases == set()
    assert search_found("pri call", organisation_id=organisation.pk).too_broad
    narrow = search_found("bram", organisation_id=organisation.pk)
    assert not narrow.too_broad and narrow.cases == {cases[BRAMWELL].pk}
    assert search_found("FH-2026-0000", organisation_id=organisation.pk).too_broad
    exact = search_found("FH-2026-00001", organisation_id=organisation.pk)
    assert not exact.too_broad and exact.cases == {cases[BRAMWELL].pk}
    assert search_found("Priya Callender", organisation_id=organisation.pk).cases == {
        case.pk for case in cases.values()
    }  # a whole name is still matched exactly, however many share it


def test_a_search_looks_in_its_own_organisation_only(organisation, cases) -> None:
    from fairhearing.organisations.services import organisation_create

    other = organisation_create(actor=None, name="Other", slug="other", reference_prefix="OT")
    assert search_found("bram", organisation_id=other.pk).cases == set()


def test_a_renamed_person_is_found_by_their_new_name_only(organisation, cases) -> None:
    person = cases[BRAMWELL].respondent
    person.full_name = "Bramley Oduya"
    person.save(update_fields=["full_name"])
    assert found(organisation, "okaf", cases) == set()
    assert found(organisation, "oduy bramle", cases) == {BRAMWELL}
    Person.objects.filter(pk=person.pk).update(full_name="Cosmo Finch")
    assert found(organisation, "oduy", cases) == set()
    assert found(organisation, "cosm fin", cases) == {BRAMWELL}


def test_the_list_page_finds_part_of_a_name_and_says_how(organisation, cases, case_officer) -> None:
    client = signed_in(case_officer)
    page = client.get(reverse("cases:list"), {"search": "bram OKAF"}).content.decode()
    assert cases[BRAMWELL].reference in page
    assert cases[ABRAHAM].reference not in page
    assert "Name or reference" in page
    assert "name (3 letters or more of each word" in page
    assert 'start of a case or complaint reference (<span class="fh-nowrap">FH-2026-0004<' in page
    assert 'id="search-too-broad"' not in page


def test_the_list_page_says_when_a_search_is_too_broad(
    organisation, cases, case_officer, monkeypatch
) -> None:
    monkeypatch.setattr(people_queries, "NAME_MATCHES_MAX", 2)
    page = signed_in(case_officer).get(reverse("cases:list"), {"search": "pri"}).content.decode()
    assert "Too many names or references start like “pri” to list them." in page
    assert "No cases match." in page and "Try fewer filters" not in page


def test_part_of_a_hidden_case_s_name_is_not_recorded_but_its_whole_name_is(
    organisation, cases
) -> None:
    investigator = make_user(organisation, "ivy", Role.INVESTIGATOR)
    Assignment.objects.create(
        case=cases[ABRAHAM], user=investigator, role=Assignment.Role.INVESTIGATOR
    )
    client = signed_in(investigator)
    for words in ("bram", "bram okaf", "FH-2026-0000", "abr"):
        page = client.get(reverse("cases:list"), {"search": words}).content.decode()
        assert cases[BRAMWELL].reference not in page and cases[ZOE].reference not in page
    assert cases[ABRAHAM].reference in page  # their own case
    assert not AccessAttempt.objects.filter(user=investigator).exists()
    client.get(reverse("cases:list"), {"search": "bramwell okafor"})
    attempt = AccessAttempt.objects.get(user=investigator)
    assert (attempt.action, attempt.case) == ("search", cases[BRAMWELL])


def test_the_api_finds_part_of_a_name(organisation, cases, case_officer) -> None:
    from fairhearing.api.tests.test_api import api_for

    response = api_for(case_officer).get("/cases", search="okaf")
    assert response.status_code == 200
    assert [i["reference"] for i in response.json()["items"]] == [cases[BRAMWELL].reference]


def test_the_index_holds_digests_not_names(organisation, cases) -> None:
    rows = list(NameToken.objects.values_list("digest", "person_id"))
    assert rows and all(isinstance(digest, int) for digest, _ in rows)
    assert "bram" not in repr(rows).lower()
