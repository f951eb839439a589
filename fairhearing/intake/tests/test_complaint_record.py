import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Complaint
from fairhearing.conftest import make_user, signed_in
from fairhearing.intake.tests.test_complaint_form import VALID
from fairhearing.intake.views import ONLY_CASE_OFFICERS
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
