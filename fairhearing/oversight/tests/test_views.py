import re

import pytest
from django.urls import reverse

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Assignment
from fairhearing.conftest import make_user, signed_in
from fairhearing.ledger.models import Event, EventKind
from fairhearing.oversight.models import AccessAttempt, Approach, CaseView
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db


def test_every_view_of_a_case_file_is_logged(case, case_officer) -> None:
    signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    assert CaseView.objects.filter(case=case, user=case_officer).count() == 2


def test_a_refusal_records_who_what_when_and_from_where(case, governing_member) -> None:
    client = signed_in(governing_member)
    client.get(
        reverse("cases:detail", args=[case.reference]),
        REMOTE_ADDR="192.0.2.7",
        HTTP_USER_AGENT="Probe/1.0",
    )
    attempt = AccessAttempt.objects.get()
    assert (attempt.user, attempt.case, attempt.action, attempt.role) == (
        governing_member,
        case,
        "view",
        "governing_body",
    )
    assert (attempt.ip_address, attempt.user_agent) == ("192.0.2.7", "Probe/1.0")
    assert attempt.path == f"/cases/{case.reference}/"
    event = Event.objects.get(kind=EventKind.ACCESS_REFUSED)
    assert event.payload["attempt"] == attempt.pk and event.case_id == case.pk


def test_an_unknown_reference_looks_the_same_and_is_recorded(case, governing_member) -> None:
    client = signed_in(governing_member)
    real = client.get(reverse("cases:detail", args=[case.reference]))
    fake = client.get(reverse("cases:detail", args=["FH-2026-99999"]))
    assert real.status_code == fake.status_code == 404
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", real.content) == token.sub(b"", fake.content)  # indistinguishable
    assert AccessAttempt.objects.filter(reference="FH-2026-99999", case=None).count() == 1


def test_only_oversight_reads_the_register(
    case, governing_member, case_officer, organisation
) -> None:
    signed_in(governing_member).get(reverse("cases:detail", args=[case.reference]))
    oversight = make_user(organisation, "odile", Role.OVERSIGHT)
    page = signed_in(oversight).get(reverse("oversight:register")).content.decode()
    assert case.reference in page and "Governing body" in page
    assert signed_in(case_officer).get(reverse("oversight:register")).status_code == 403
    assert signed_in(governing_member).get(reverse("oversight:register")).status_code == 403


def test_staff_record_an_approach(case, case_officer, organisation) -> None:
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    url = reverse("oversight:approach", args=[case.reference])
    data = {
        "approached_on": "2026-11-20",
        "approached_by": "Councillor Vane (branch chair)",
        "channel": "phone",
        "asked": "Could the case be dropped before the selection?",
        "answered": "No; the case follows the procedure.",
    }
    assert signed_in(case_officer).post(url, {**data, "asked": ""}).status_code == 400
    assert signed_in(case_officer).post(url, data).status_code == 302
    approach = Approach.objects.get()
    assert approach.recorded_by == case_officer and approach.channel == "phone"
    event = Event.objects.get(kind=EventKind.APPROACH_RECORDED)
    assert "Vane" not in str(event.payload)  # names stay off the ledger
    oversight = make_user(organisation, "odile", Role.OVERSIGHT)
    page = signed_in(oversight).get(reverse("oversight:register"), {"kind": "approaches"})
    assert "Councillor Vane (branch chair)" in page.content.decode()
