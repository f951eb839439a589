import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Complaint
from fairhearing.conftest import make_user, signed_in
from fairhearing.intake.access import ONLY_CASE_OFFICERS
from fairhearing.intake.tests.test_complaint_form import VALID
from fairhearing.ledger.models import Event, EventKind

pytestmark = pytest.mark.django_db

BY_PHONE = {
    **VALID,
    "complainant_email": "",
    "channel": "phone",
    "received_on": "2026-11-20",
}


def test_a_case_officer_records_a_phoned_in_complaint(case_officer) -> None:
    response = signed_in(case_officer).post(reverse("intake:record"), BY_PHONE)
    complaint = Complaint.objects.get()
    case = complaint.cases.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/cases/{case.reference}/"
    )
    assert (complaint.channel, complaint.recorded_by) == ("phone", case_officer)
    assert complaint.received_at.date() == dt.date(2026, 11, 20)
    # No email address: nothing is sent and staff still owe the acknowledgement, on the clock.
    assert mail.outbox == [] and case.stage == "received"
    deadline = case.deadlines.get()
    assert deadline.started_at == complaint.received_at
    received = Event.objects.get(kind=EventKind.COMPLAINT_RECEIVED)
    assert (received.actor_id, received.payload["channel"]) == (case_officer.pk, "phone")


def test_with_an_email_address_the_acknowledgement_is_sent(case_officer) -> None:
    data = {**BY_PHONE, "complainant_email": "priya@example.invalid", "channel": "post"}
    signed_in(case_officer).post(reverse("intake:record"), data)
    assert len(mail.outbox) == 1
    assert Complaint.objects.get().cases.get().stage == "acknowledged"


def test_a_future_receipt_date_is_refused(case_officer) -> None:
    response = signed_in(case_officer).post(
        reverse("intake:record"), {**BY_PHONE, "received_on": "2999-01-01"}
    )
    assert response.status_code == 400
    assert "The date received must be today or in the past." in response.content.decode()
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.GOVERNING_BODY, Role.OVERSIGHT])
def test_other_roles_cannot_record(organisation, role) -> None:
    user = make_user(organisation, f"u-{role}", role)
    response = signed_in(user).post(reverse("intake:record"), BY_PHONE)
    assert response.status_code == 403
    assert ONLY_CASE_OFFICERS in response.content.decode()
    assert Complaint.objects.count() == 0


def test_it_requires_sign_in(client: Client, organisation) -> None:
    assert client.get(reverse("intake:record")).status_code == 302


def test_the_acknowledgement_quotes_the_receipt_without_searching_the_ledger(
    organisation,
) -> None:
    """The recording returns the event that recorded the complaint; the acknowledgement quotes
    it, and no query looks for it among the ledger's payloads (no index serves that search,
    and every intake would pay for the whole ledger's size)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fairhearing.cases.models import AllegationType, Channel
    from fairhearing.intake.details import AllegationDetails
    from fairhearing.intake.services import complaint_submit
    from fairhearing.people.services import PersonDetails

    with CaptureQueriesContext(connection) as queries:
        complaint = complaint_submit(
            actor=None,
            organisation=organisation,
            channel=Channel.WEB,
            complainant=PersonDetails(full_name="Priya Callender", email="priya@example.invalid"),
            respondents=[PersonDetails(full_name="Rowan Ashby")],
            allegation=AllegationDetails(
                allegation_type=AllegationType.POST,
                category="bullying",
                description="Posted a cartoon demeaning a minority.",
                conduct_date=dt.date(2026, 3, 3),
            ),
            summary="A post in the branch group on 3 March.",
        )
    received = Event.objects.get(kind=EventKind.COMPLAINT_RECEIVED)
    assert complaint.received_event == received
    assert not any(
        "payload" in q["sql"]
        and q["sql"].lstrip().startswith("SELECT")
        and "ledger_event" in q["sql"]
        for q in queries.captured_queries
    )
    (message,) = mail.outbox
    assert f"#{received.seq}" in message.body and received.hash in message.body
    # A complaint read back from the database carries no event: the ledger is searched.
    from fairhearing.intake.services import complaint_receipt_event

    assert complaint_receipt_event(Complaint.objects.get(pk=complaint.pk)) == received


@pytest.mark.parametrize("route", ["intake:form", "intake:record"])
def test_the_forms_take_the_respondents_email_and_postal_address(case_officer, route) -> None:
    client = signed_in(case_officer) if route == "intake:record" else Client()
    form = client.get(reverse(route)).content.decode()
    assert "Their postal address (if you know it)" in form
    data = {
        **BY_PHONE,
        "complainant_email": "priya@example.invalid",
        "respondent_1_email": "rowan@example.invalid",
        "respondent_1_postal_address": "4 Mill Lane\r\n\r\nNorthfield NF1 2AB",
        "respondent_2_postal_address": "An address without a name",
    }
    refused = client.post(reverse(route), data)
    assert refused.status_code == 400 and "Enter this person" in refused.content.decode()
    del data["respondent_2_postal_address"]
    assert client.post(reverse(route), data).status_code == 302
    if route == "intake:form":  # the public form is sent from "check your answers"
        assert client.post(reverse("intake:check")).status_code == 302
    respondent = Complaint.objects.get().cases.get().respondent
    assert respondent.email == "rowan@example.invalid"
    assert respondent.postal_address == "4 Mill Lane\nNorthfield NF1 2AB"
