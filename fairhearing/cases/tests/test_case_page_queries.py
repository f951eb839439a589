"""The case page costs the same number of queries however much the case holds (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairhearing.cases.models import AllegationType, Channel
from fairhearing.conftest import signed_in, walk
from fairhearing.evidence.services import Upload, evidence_add_file, evidence_add_post
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.people.services import PersonDetails
from fairhearing.portal.services import message_send
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db

URL = "https://x.com/rowana/status/42"


def report(organisation, name):
    return complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name=name),
        respondents=[PersonDetails(full_name="Rowan Ashby")],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="bullying",
            description="A post.",
            url=URL,
        ),
        summary="A post.",
    )


def queries_for(client, url) -> int:
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_case_page_costs_the_same_for_a_small_case_and_a_full_one(
    organisation, case_officer
) -> None:
    case = report(organisation, "First Reporter").cases.get()
    case_assign(actor=None, case=case, user=case_officer, role="case_officer")
    walk(case, case_officer, "acknowledge", "begin_assessment")
    client = signed_in(case_officer)
    url = reverse("cases:detail", args=[case.reference])
    evidence_url = reverse("evidence:list", args=[case.reference])
    small, small_evidence = queries_for(client, url), queries_for(client, evidence_url)

    for i in range(6):
        report(organisation, f"Reporter {i}")  # the same post: more complainants
        evidence_add_file(actor=None, case=case, upload=Upload(f"n{i}.txt", f"Note {i}".encode()))
        evidence_add_post(actor=None, case=case, captured_text=f"Captured words number {i}.")
        message_send(
            case=case,
            party_person=case.parties.first().person,
            party_role="complainant",
            body=f"Message {i}",
        )
    assert case.parties.count() == 7
    assert queries_for(client, url) == small
    assert queries_for(client, evidence_url) == small_evidence
