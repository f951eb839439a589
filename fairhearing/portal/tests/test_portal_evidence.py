"""The evidence in the portal: the respondent sees every item and downloads the hearing bundle
(a recorded disclosure); a complainant sees only what they added."""

import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from fairhearing.cases.models import Party
from fairhearing.cases.services import party_protect_identity
from fairhearing.evidence.models import Source
from fairhearing.evidence.services import Upload, evidence_add_file, evidence_add_post
from fairhearing.evidence.tests.files import png
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.oversight.models import AccessAttempt
from fairhearing.portal.access import ONLY_RESPONDENT_BUNDLE
from fairhearing.workflow import sign_in

pytestmark = pytest.mark.django_db


def party_client(case, person, case_officer) -> Client:
    sign_in.sign_in_link_send(actor=case_officer, case=case, person=person)
    url = str(mail.outbox[-1].body).split("/portal/sign-in/", 1)[1].split("/", 1)[0]
    client = Client()
    assert client.post(reverse("portal:sign_in", args=[url])).status_code == 302
    return client


@pytest.fixture
def with_evidence(at_notice, case_officer):
    complainant = at_notice.parties.get(role=Party.Role.COMPLAINANT).person
    staff_item = evidence_add_file(
        actor=case_officer,
        case=at_notice,
        upload=Upload("shot.png", png()),
        description="Screenshot of the branch group",
    )
    own_item = evidence_add_post(
        actor=None,
        case=at_notice,
        captured_text="The cartoon, as posted.",
        description="Post sent in by Priya Callender",
        source=Source.PARTY,
        person=complainant,
    )
    return at_notice, complainant, staff_item, own_item


def test_the_respondent_sees_every_item_and_downloads_the_bundle(
    with_evidence, case_officer
) -> None:
    case, _, staff_item, own_item = with_evidence
    client = party_client(case, case.respondent, case_officer)
    page = client.get(reverse("portal:case", args=[case.reference])).content.decode()
    for item in (staff_item, own_item):
        assert item.sha256 in page
    assert "Screenshot of the branch group" in page
    bundle_url = reverse("portal:bundle", args=[case.reference])
    assert bundle_url in page
    assert not Event.objects.filter(kind=EventKind.EVIDENCE_DISCLOSED).exists()

    response = client.get(bundle_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="bundle-{case.reference}-respondent.pdf"'
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert staff_item.sha256 in text.replace("\n", "")
    assert "the respondent (portal)" in text
    [disclosed] = Event.objects.filter(kind=EventKind.EVIDENCE_DISCLOSED)
    assert disclosed.case_id == case.pk and disclosed.actor_id is None
    assert disclosed.payload["person"] == case.respondent_id
    assert [i["number"] for i in disclosed.payload["items"]] == [1, 2]
    assert ledger_verify().ok


def test_a_protected_complainant_is_redacted_in_the_respondents_list(
    with_evidence, case_officer
) -> None:
    case, complainant, _, _ = with_evidence
    party_protect_identity(
        actor=case_officer,
        party=case.parties.get(person=complainant),
        reason="Fear of reprisal in the branch.",
    )
    client = party_client(case, case.respondent, case_officer)
    page = client.get(reverse("portal:case", args=[case.reference])).content.decode()
    assert "Callender" not in page
    assert "Post sent in by [redacted]" in page


def test_a_complainant_sees_only_their_own_items_and_gets_no_bundle(
    with_evidence, case_officer
) -> None:
    case, complainant, staff_item, own_item = with_evidence
    client = party_client(case, complainant, case_officer)
    page = client.get(reverse("portal:case", args=[case.reference])).content.decode()
    assert own_item.sha256 in page and "Post sent in by Priya Callender" in page
    assert staff_item.sha256 not in page and "Screenshot of the branch group" not in page
    bundle_url = reverse("portal:bundle", args=[case.reference])
    assert bundle_url not in page
    assert client.get(bundle_url).status_code == 404
    assert not Event.objects.filter(kind=EventKind.EVIDENCE_EXPORTED).exists()


def test_no_bundle_without_a_party_session(with_evidence) -> None:
    case = with_evidence[0]
    assert Client().get(reverse("portal:bundle", args=[case.reference])).status_code == 404
    assert not Event.objects.filter(kind=EventKind.EVIDENCE_EXPORTED).exists()


def test_a_complainant_asking_for_the_bundle_is_in_the_register(with_evidence, case_officer):
    """The respondent-only rule lives in `portal.access.bundle_party_for`; its refusal answers
    as if there were no bundle, and is recorded with the case (issue 22, item 4)."""
    case, complainant, _, _ = with_evidence
    client = party_client(case, complainant, case_officer)
    bundle_url = reverse("portal:bundle", args=[case.reference])
    response = client.get(bundle_url)
    assert response.status_code == 404
    assert ONLY_RESPONDENT_BUNDLE in response.content.decode()
    attempt = AccessAttempt.objects.get()
    assert (attempt.case, attempt.reference, attempt.action, attempt.path) == (
        case,
        case.reference,
        "page",
        bundle_url,
    )
    assert attempt.organisation_id == case.organisation_id and attempt.role == "anonymous"
    assert Event.objects.filter(kind=EventKind.ACCESS_REFUSED, case_id=case.pk).count() == 1


def test_the_respondent_fetching_the_bundle_is_not_recorded(with_evidence, case_officer):
    case = with_evidence[0]
    client = party_client(case, case.respondent, case_officer)
    assert client.get(reverse("portal:bundle", args=[case.reference])).status_code == 200
    assert not AccessAttempt.objects.exists()
