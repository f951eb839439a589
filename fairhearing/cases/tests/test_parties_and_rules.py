import pytest
from django.urls import reverse

from fairhearing.cases.models import Party
from fairhearing.cases.services import allegation_set_conduct_rules, case_add_witness
from fairhearing.conftest import signed_in
from fairhearing.core.errors import CaseError
from fairhearing.ledger.models import Event, EventKind
from fairhearing.people.services import PersonDetails

pytestmark = pytest.mark.django_db


def test_adding_a_witness_records_the_party_and_its_event(case, case_officer) -> None:
    party = case_add_witness(
        actor=case_officer, case=case, details=PersonDetails(full_name="Esme Holroyd")
    )
    assert (party.role, party.person.full_name) == (Party.Role.WITNESS, "Esme Holroyd")
    event = Event.objects.get(kind=EventKind.PARTY_ADDED)
    assert event.payload == {"party": party.pk, "person": party.person_id, "role": "witness"}
    assert event.case_id == case.pk


def test_the_same_member_is_not_added_twice_as_witness(case, case_officer) -> None:
    details = PersonDetails(full_name="Esme Holroyd", membership_number="M77")
    case_add_witness(actor=case_officer, case=case, details=details)
    with pytest.raises(CaseError, match="already a witness"):
        case_add_witness(actor=case_officer, case=case, details=details)
    assert Event.objects.filter(kind=EventKind.PARTY_ADDED).count() == 1


def test_conduct_rules_come_from_the_cases_rulebook(case, case_officer) -> None:
    allegation = case.allegations.get()
    with pytest.raises(CaseError, match="Not in this case's rulebook: XX-9"):
        allegation_set_conduct_rules(actor=case_officer, allegation=allegation, refs=["XX-9"])
    allegation_set_conduct_rules(
        actor=case_officer, allegation=allegation, refs=["CC-2.1", "CC-1.3"]
    )
    allegation.refresh_from_db()
    assert allegation.conduct_rule_refs == ["CC-1.3", "CC-2.1"]
    event = Event.objects.get(kind=EventKind.ALLEGATION_RULES_SET)
    assert (event.payload["from"], event.payload["to"]) == ([], ["CC-1.3", "CC-2.1"])


def test_the_pages_add_a_witness_and_set_rules(case, case_officer) -> None:
    client = signed_in(case_officer)
    response = client.post(
        reverse("cases:witness", args=[case.reference]), {"full_name": "Esme Holroyd"}
    )
    assert response.status_code == 302
    allegation = case.allegations.get()
    url = reverse("cases:allegation_rules", args=[case.reference, allegation.pk])
    assert "CC-1.3: No racism" in client.get(url).content.decode()
    assert client.post(url, {"refs": ["CC-1.3"]}).status_code == 302
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Esme Holroyd" in page and "CC-1.3" in page


def test_a_witness_needs_a_name(case, case_officer) -> None:
    response = signed_in(case_officer).post(
        reverse("cases:witness", args=[case.reference]), {"full_name": ""}
    )
    assert response.status_code == 400
    assert "Enter the witness&#x27;s full name." in response.content.decode()


def test_an_allegation_of_another_case_is_not_reachable(make_complaint, case_officer) -> None:
    mine = make_complaint().cases.get()
    other = make_complaint().cases.get().allegations.get()
    url = reverse("cases:allegation_rules", args=[mine.reference, other.pk])
    assert signed_in(case_officer).post(url, {"refs": ["CC-1.3"]}).status_code == 404


@pytest.mark.parametrize("name", ["witness", "allegation_rules"])
def test_outsiders_are_refused_and_recorded(case, governing_member, name) -> None:
    args = [case.reference] if name == "witness" else [case.reference, case.allegations.get().pk]
    response = signed_in(governing_member).post(reverse(f"cases:{name}", args=args), {})
    assert response.status_code == 404
    assert Event.objects.filter(kind=EventKind.ACCESS_REFUSED, case_id=case.pk).count() == 1


def test_withholding_a_complainants_identity_needs_a_reason(case, case_officer) -> None:
    party = case.parties.get()
    url = reverse("cases:protect", args=[case.reference, party.pk])
    client = signed_in(case_officer)
    assert client.post(url, {"reasons": ""}).status_code == 400
    assert client.post(url, {"reasons": "Fear of reprisal at branch meetings."}).status_code == 302
    party.refresh_from_db()
    assert party.identity_protected and party.protection_reason.startswith("Fear of reprisal")
    event = Event.objects.get(kind=EventKind.IDENTITY_PROTECTED)
    assert "reprisal" not in str(event.payload)


def test_nobody_without_current_training_joins_a_case_team(case, investigator) -> None:
    from fairhearing.cases.services import UNTRAINED
    from fairhearing.panels.models import TrainingRecord
    from fairhearing.workflow.services import case_assign

    TrainingRecord.objects.filter(user=investigator).update(expires_on="2020-01-01")
    with pytest.raises(CaseError, match="no current training"):
        case_assign(actor=None, case=case, user=investigator, role="investigator")
    assert not case.assignments.exists()
    assert UNTRAINED.endswith("(R-64).")
