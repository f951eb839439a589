import pytest
from django.urls import reverse

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Assignment
from fairhearing.conftest import make_user, signed_in
from fairhearing.interests.models import BiasChallenge, Declaration, Recusal
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db


def test_declaring_an_interest_in_a_member_by_number(case, case_officer) -> None:
    from fairhearing.people.models import Person

    Person.objects.filter(pk=case.respondent_id).update(membership_number="M4471")
    client = signed_in(case_officer)
    response = client.post(
        reverse("interests:list"), {"kind": "person", "membership_number": "M4471"}
    )
    assert response.status_code == 302
    assert Declaration.objects.get(user=case_officer).person_id == case.respondent_id
    response = client.post(reverse("interests:list"), {"kind": "person", "membership_number": "X1"})
    assert response.status_code == 400
    assert "No member has that membership number." in response.content.decode()


def test_someone_elses_declaration_cannot_be_withdrawn(case_officer, investigator) -> None:
    declaration = Declaration.objects.create(user=investigator, kind="group", text="Reform caucus")
    response = signed_in(case_officer).post(reverse("interests:withdraw", args=[declaration.pk]))
    assert response.status_code == 404
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is None


def test_stepping_aside_through_the_page(case, case_officer) -> None:
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    url = reverse("interests:recuse", args=[case.reference])
    client = signed_in(case_officer)
    assert client.post(url, {"reasons": ""}).status_code == 400
    response = client.post(url, {"reasons": "I know the respondent's family."}, follow=True)
    assert [u for u, _ in response.redirect_chain][-1] == reverse("cases:list")  # their work
    assert f"You have stepped aside from {case.reference}." in response.content.decode()
    assert Recusal.objects.get(case=case).user == case_officer
    # Off the case now, and need-to-know applies: it is no longer theirs to open.
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404


def test_a_challenge_raised_and_decided_through_the_pages(case, case_officer, organisation) -> None:
    colleague = make_user(organisation, "marcus", Role.CASE_OFFICER)
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    case_assign(actor=None, case=case, user=colleague, role=Assignment.Role.CASE_OFFICER)
    url = reverse("interests:challenge", args=[case.reference])
    response = signed_in(colleague).post(
        url, {"challenged": case_officer.pk, "raised_by": case.respondent_id, "grounds": "Biased."}
    )
    assert response.status_code == 302
    challenge = BiasChallenge.objects.get()
    decide = reverse("interests:challenge_decide", args=[case.reference, challenge.pk])
    response = signed_in(case_officer).post(decide, {"decision": "dismissed", "reasons": "Mine."})
    assert response.status_code == 400
    assert "someone other than the member challenged" in response.content.decode()
    response = signed_in(colleague).post(
        decide, {"decision": "dismissed", "reasons": "No grounds."}
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.decision == "dismissed"
