"""Subject access (R-62): everything about a person, third parties redacted, within a month."""

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from fairhearing.accounts.models import Role
from fairhearing.api.tests.test_api import api_for, assert_error
from fairhearing.conftest import make_user, signed_in
from fairhearing.dataprotection.models import SubjectAccessRequest
from fairhearing.dataprotection.services import (
    DataProtectionError,
    one_month_after,
    subject_access_complete,
    subject_access_export,
    subject_access_open,
    subject_access_sweep,
)
from fairhearing.dataprotection.subject_access import THIRD_PARTY, collect
from fairhearing.ledger.models import Event, EventKind
from fairhearing.people.services import PersonDetails

from .conftest import COMPLAINANT, REPLY, RESPONDENT, full_history, record


def at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ((2026, 1, 15), (2026, 2, 15)),
        ((2026, 1, 31), (2026, 2, 28)),  # no 31 February: the month's last day
        ((2028, 1, 30), (2028, 2, 29)),
        ((2026, 12, 10), (2027, 1, 10)),
        ((2026, 3, 31), (2026, 4, 30)),
    ],
)
def test_one_calendar_month(received, due) -> None:
    end = one_month_after(at(*received))
    assert timezone.localtime(end).date() == dt.date(*due)
    assert timezone.localtime(end).time() == dt.time.max


def test_the_respondents_export_names_nobody_else(organisation, case_officer) -> None:
    case = full_history(organisation, case_officer)
    protected = record(
        organisation,
        case_officer,
        complainant=PersonDetails(full_name="Wren Halloway", email="wren@example.invalid"),
        protect=True,
    )
    document = collect(case.respondent)
    text = json.dumps(document)
    assert RESPONDENT.full_name in text and RESPONDENT.email in text  # their own details
    for other in (COMPLAINANT.full_name, COMPLAINANT.email, COMPLAINANT.membership_number):
        assert other not in text
    assert "Wren" not in text and "wren@" not in text  # the protected complainant
    assert "Fears reprisals" not in text  # nor the reason for protecting them
    assert {c["reference"] for c in document["cases"]} == {case.reference, protected.reference}
    first = next(c for c in document["cases"] if c["reference"] == case.reference)
    assert first["your_roles"] == ["respondent"]
    assert first["allegations"][0]["description"] == (
        f"{RESPONDENT.full_name} mocked {THIRD_PARTY}'s accent at the branch social."
    )
    assert first["your_complaints"] == []  # the complainant's own words are theirs
    assert first["your_replies"][0]["text"] == REPLY.replace(COMPLAINANT.email, THIRD_PARTY)
    assert first["messages"] == []  # the complainant's messages are not in the respondent's
    assert first["evidence_you_gave"] == []
    assert first["outcome"] and first["decisions"]


def test_the_complainants_export(organisation, case_officer) -> None:
    case = full_history(organisation, case_officer)
    document = collect(case.parties.get().person)
    text = json.dumps(document)
    assert RESPONDENT.full_name not in text and RESPONDENT.email not in text
    entry = document["cases"][0]
    assert entry["your_roles"] == ["complainant"] and entry["respondent"] == "the respondent"
    assert entry["your_complaints"][0]["summary"] == (
        f"{COMPLAINANT.full_name} reports repeated remarks by {THIRD_PARTY}."
    )
    assert entry["messages"][0]["body"] == "Ysolde here: any news?"
    assert entry["evidence_you_gave"] == []  # added by staff, not by them
    assert "your_replies" not in entry and "decisions" not in entry


def test_request_export_complete_on_the_ledger(organisation, case_officer) -> None:
    case = full_history(organisation, case_officer)
    sar = subject_access_open(actor=case_officer, person=case.respondent)
    assert sar.due_at == one_month_after(sar.received_at)
    with pytest.raises(DataProtectionError, match="export"):
        subject_access_complete(actor=case_officer, request=sar)
    pdf = subject_access_export(actor=case_officer, request=sar, fmt="pdf")
    assert pdf.startswith(b"%PDF")
    import io

    pages = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert RESPONDENT.full_name in pages and COMPLAINANT.full_name not in pages
    assert THIRD_PARTY in pages
    data = json.loads(subject_access_export(actor=case_officer, request=sar, fmt="json"))
    assert "case_ids" not in data
    sar = subject_access_complete(actor=case_officer, request=sar)
    assert sar.status == "completed"
    kinds = list(
        Event.objects.filter(kind__gte=135, kind__lte=139)
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        EventKind.SUBJECT_ACCESS_REQUESTED,
        EventKind.SUBJECT_ACCESS_EXPORTED,
        EventKind.SUBJECT_ACCESS_EXPORTED,
        EventKind.SUBJECT_ACCESS_COMPLETED,
    ]
    exported = Event.objects.filter(kind=EventKind.SUBJECT_ACCESS_EXPORTED).order_by("seq")[0]
    assert exported.payload["cases"] == [case.pk] and len(exported.payload["sha256"]) == 64
    assert RESPONDENT.full_name not in json.dumps(exported.payload)


def test_only_case_officers_handle_requests(organisation, case, investigator) -> None:
    with pytest.raises(DataProtectionError):
        subject_access_open(actor=investigator, person=case.respondent)


def test_reminders_and_the_breach(organisation, case, case_officer) -> None:
    received = timezone.now()
    sar = subject_access_open(actor=case_officer, person=case.respondent, received_at=received)
    span = sar.due_at - received
    mail.outbox.clear()
    assert subject_access_sweep(now=received + span * 0.3) == {"reminders": 0, "breaches": 0}
    assert subject_access_sweep(now=received + span * 0.8) == {"reminders": 1, "breaches": 0}
    assert subject_access_sweep(now=received + span * 0.8) == {"reminders": 0, "breaches": 0}
    sar.refresh_from_db()
    assert sar.reminded_percent == 75
    assert subject_access_sweep(now=sar.due_at + dt.timedelta(minutes=1)) == {
        "reminders": 0,
        "breaches": 1,
    }
    assert subject_access_sweep(now=sar.due_at + dt.timedelta(days=2))["breaches"] == 0
    assert [m.to for m in mail.outbox] == [[case_officer.email]] * 2
    assert "overdue" in mail.outbox[-1].subject
    assert Event.objects.filter(kind=EventKind.SUBJECT_ACCESS_BREACHED).count() == 1


def test_pages(organisation, case, case_officer, investigator) -> None:
    from fairhearing.people.models import Person

    Person.objects.filter(pk=case.respondent_id).update(membership_number="NCL-3003")
    client = signed_in(case_officer)
    url = reverse("dataprotection:sar_list")
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(url, {"membership_number": "ncl-9999", "received_on": today})
    assert response.status_code == 400 and b"Nobody in the records" in response.content
    response = client.post(url, {"received_on": today})
    assert b"Give a membership number, email or full name." in response.content
    response = client.post(url, {"membership_number": "ncl-3003", "received_on": today})
    assert response.status_code == 302
    sar = SubjectAccessRequest.objects.get()
    assert sar.person_id == case.respondent_id
    detail = client.get(reverse("dataprotection:sar_detail", args=[sar.pk]))
    assert b"Download as PDF" in detail.content
    exported = client.get(reverse("dataprotection:sar_export", args=[sar.pk, "json"]))
    assert exported["Content-Disposition"].startswith("attachment")
    assert json.loads(exported.content)["person"]["membership_number"] == "NCL-3003"
    assert (
        client.get(reverse("dataprotection:sar_export", args=[sar.pk, "html"])).status_code == 404
    )
    client.post(reverse("dataprotection:sar_complete", args=[sar.pk]))
    sar.refresh_from_db()
    assert sar.status == "completed"
    # Other roles are refused.
    other = signed_in(investigator)
    assert other.get(url).status_code == 403
    assert other.get(reverse("dataprotection:sar_detail", args=[sar.pk])).status_code == 403
    # Another organisation's case officer does not find the request.
    from fairhearing.organisations.services import organisation_create

    elsewhere = organisation_create(
        actor=None, name="Southmoor Union", slug="southmoor", reference_prefix="SU"
    )
    stranger = signed_in(make_user(elsewhere, "sten", Role.CASE_OFFICER))
    assert stranger.get(reverse("dataprotection:sar_detail", args=[sar.pk])).status_code == 404


def test_api(organisation, case, case_officer, investigator) -> None:
    api = api_for(case_officer)
    today = timezone.localdate().isoformat()
    created = api.post(
        "/subject-access", {"full_name": "rowan  ashby", "received_on": today}, key="sar-1"
    )
    assert created.status_code == 201, created.content
    sar_id = created.json()["id"]
    assert created.json()["person_id"] == case.respondent_id
    assert [s["id"] for s in api.get("/subject-access").json()["items"]] == [sar_id]
    assert_error(api.get("/subject-access", person=1), 422, "validation_error")
    assert api.get(f"/subject-access/{sar_id}").json()["status"] == "open"
    exported = api.get(f"/subject-access/{sar_id}/export.json")
    assert exported.status_code == 200 and exported.json()["person"]["full_name"] == "Rowan Ashby"
    assert api.get(f"/subject-access/{sar_id}/export.pdf").content.startswith(b"%PDF")
    done = api.post(f"/subject-access/{sar_id}/complete")
    assert done.status_code == 201 and done.json()["status"] == "completed"
    assert_error(api.post(f"/subject-access/{sar_id}/complete"), 409, "refused")
    assert_error(
        api.post("/subject-access", {"email": "nobody@example.invalid", "received_on": today}),
        409,
        "refused",
    )
    assert_error(api_for(investigator).get("/subject-access"), 403, "forbidden")


def test_a_month_on_the_sweep_reports_the_breach(organisation, case, case_officer) -> None:
    sar = subject_access_open(actor=case_officer, person=case.respondent)
    from fairhearing.deadlines.tasks import deadline_sweep_task

    with time_machine.travel(sar.due_at + dt.timedelta(hours=1), tick=False):
        result = deadline_sweep_task.call()
    assert result["subject_access_breaches"] == 1
