"""Sanction compliance (issue 23, item 5): conditions set by a decision, reminders, overdue
conditions back to the case team, completion with proof, and ends told to membership
systems, against real mail rendering and a real HTTP receiver."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.api.tests.test_api import api_for, assert_error
from fairhearing.cases.models import Case
from fairhearing.compliance import services
from fairhearing.compliance.models import Condition
from fairhearing.conftest import PASSWORD, TO_HEARING, make_user, signed_in, walk
from fairhearing.core.errors import CaseError
from fairhearing.demo.panels import panel_ready_for
from fairhearing.evidence.services import EvidenceRefused, Upload
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.notifications.models import Notification
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.notifications.services import compliance_notices_queue
from fairhearing.oversight.models import AccessAttempt
from fairhearing.people.models import Person
from fairhearing.portal.tests.test_portal_evidence import party_client
from fairhearing.webhooks.models import Endpoint, WebhookEvent
from fairhearing.webhooks.services import webhooks_deliver_pending
from fairhearing.webhooks.tests.test_webhooks import SECRET, Receiver
from fairhearing.workflow.services import case_assign, case_schedule_hearing, case_transition

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def decide(case: Case, actor, transition: str, sanction: str = "", ends_on=None) -> Case:
    panel_ready_for(
        case, actor, transition, password=PASSWORD, sanction=sanction, sanction_ends_on=ends_on
    )
    case_transition(
        actor=actor,
        case=case,
        transition=transition,
        reasons=f"Reasons for {transition}.",
        rule_applied="Procedure 8",
        sanction=sanction,
        sanction_ends_on=ends_on,
    )
    case.refresh_from_db()
    return case


def sanctioned(case: Case, actor, sanction: str, ends_on=None) -> Case:
    Person.objects.filter(pk=case.respondent_id).update(
        email="rowan@example.invalid", membership_number="M4471"
    )
    case = walk(case, actor, *TO_HEARING)
    case_schedule_hearing(actor=actor, case=case, hearing_at=timezone.now() + dt.timedelta(days=21))
    case = walk(case, actor, "hearing_held")
    return decide(case, actor, "decide_upheld", sanction, ends_on)


def test_a_sanction_sets_the_rulebooks_conditions_and_its_end(case, case_officer) -> None:
    ends = timezone.localdate() + dt.timedelta(days=180)
    case = sanctioned(case, case_officer, "suspension", ends)
    (end,) = Condition.objects.filter(case=case)
    assert (end.kind, end.sanction, end.due_on, end.status) == (
        "sanction_end",
        "suspension",
        ends,
        "open",
    )
    assert end.description == "The suspension ends"
    assert end.imposed_by is not None and end.imposed_by.transition == "decide_upheld"
    event = Event.objects.filter(kind=EventKind.CONDITION_SET).get()
    assert event.payload["condition"] == end.pk and event.payload["due_on"] == ends.isoformat()
    assert ledger_verify().ok


def test_mandatory_education_is_due_its_days_after_the_decision(case, case_officer) -> None:
    case = sanctioned(case, case_officer, "mandatory_education")
    (course,) = Condition.objects.filter(case=case)
    assert course.kind == "course"
    assert course.description == "Complete the equality and conduct course"
    assert course.due_on == timezone.localdate() + dt.timedelta(days=90)
    # The decision's email tells the respondent what is asked, and by when; not the others.
    mail.outbox.clear()
    notifications_send_pending()
    told = {message.to[0]: message.body for message in mail.outbox}
    asks = f"- Complete the equality and conduct course, by {course.due_on:%-d %B %Y}"
    assert asks in told["rowan@example.invalid"]
    assert all(asks not in body for to, body in told.items() if to != "rowan@example.invalid")


def test_an_appeal_allowed_withdraws_them_and_their_end_is_never_announced(
    case, case_officer
) -> None:
    ends = timezone.localdate() + dt.timedelta(days=30)
    case = sanctioned(case, case_officer, "suspension", ends)
    case = walk(case, case_officer, "appeal_lodged")
    decide(case, case_officer, "appeal_allowed")
    end = Condition.objects.get(case=case)
    assert end.status == "withdrawn" and "set aside" in end.finish_note
    assert services.sanction_ends_reach(today=ends + dt.timedelta(days=2)) == 0
    # Nothing more can be asked under a sanction set aside.
    with pytest.raises(CaseError, match="no sanction in effect"):
        services.condition_add(
            actor=case_officer,
            case=case,
            kind="apology",
            description="Apologise",
            due_on=timezone.localdate() + dt.timedelta(days=5),
        )
    # Lifted when the appeal was allowed (webhooks_for_decision), never again at its old end.
    names = sorted(WebhookEvent.objects.values_list("name", flat=True))
    assert names == [
        "sanction.imposed",
        "sanction.lifted",
        "suspension.ended",
        "suspension.started",
    ]


def test_a_sanction_varied_on_appeal_replaces_the_conditions(case, case_officer) -> None:
    case = sanctioned(case, case_officer, "mandatory_education")
    case = walk(case, case_officer, "appeal_lodged")
    ends = timezone.localdate() + dt.timedelta(days=60)
    decide(case, case_officer, "appeal_sanction_varied", "suspension", ends)
    statuses = dict(Condition.objects.filter(case=case).values_list("kind", "status"))
    assert statuses == {"course": "withdrawn", "sanction_end": "open"}


def test_the_respondent_is_reminded_once_and_the_team_told_once_when_overdue(
    case, case_officer
) -> None:
    case = sanctioned(case, case_officer, "mandatory_education")
    course = Condition.objects.get(case=case)
    mail.outbox.clear()
    Notification.objects.all().delete()
    # Fifteen days before: too early for the rulebook's 14.
    assert compliance_notices_queue(today=course.due_on - dt.timedelta(days=15)) == 0
    assert compliance_notices_queue(today=course.due_on - dt.timedelta(days=14)) == 1
    assert compliance_notices_queue(today=course.due_on - dt.timedelta(days=13)) == 0
    assert notifications_send_pending() == 1
    (reminder,) = mail.outbox
    assert reminder.to == ["rowan@example.invalid"]
    assert f"due on {course.due_on:%-d %B %Y}" in reminder.subject
    assert "Complete the equality and conduct course" in reminder.body
    # The day after it was due, with nothing recorded: back to the case team, once.
    assert compliance_notices_queue(today=course.due_on + dt.timedelta(days=1)) == 1
    assert compliance_notices_queue(today=course.due_on + dt.timedelta(days=2)) == 0
    assert notifications_send_pending() == 1
    overdue = mail.outbox[-1]
    assert overdue.to == [case_officer.email]
    assert "overdue" in overdue.subject and case.reference in overdue.subject
    assert reverse("cases:detail", args=[case.reference]) + "#sanction" in overdue.body
    assert Event.objects.filter(kind=EventKind.CONDITION_OVERDUE, case_id=case.pk).count() == 1


def test_a_respondent_without_email_gets_the_reminder_as_a_letter(case, case_officer) -> None:
    case = sanctioned(case, case_officer, "mandatory_education")
    Person.objects.filter(pk=case.respondent_id).update(email="", postal_address="1 Mill Lane")
    course = Condition.objects.get(case=case)
    assert compliance_notices_queue(today=course.due_on - dt.timedelta(days=3)) == 1
    letter = Notification.objects.get(kind=Notification.Kind.CONDITION_REMINDER)
    assert (letter.channel, letter.status) == ("post", "to_post")


def test_complied_with_a_certificate_kept_under_its_hash(case, case_officer) -> None:
    case = sanctioned(case, case_officer, "mandatory_education")
    course = Condition.objects.get(case=case)
    with pytest.raises(CaseError, match="what shows"):
        services.condition_complied(actor=case_officer, condition=course, note="  ")
    with pytest.raises(EvidenceRefused):
        services.condition_complied(
            actor=case_officer,
            condition=course,
            note="Certificate",
            proof=Upload(name="cert.exe", data=b"MZ\x90\x00"),
        )
    done = services.condition_complied(
        actor=case_officer,
        condition=course,
        note="Certificate from the regional office, dated 3 March.",
        proof=Upload(name="certificate.png", data=PNG),
    )
    assert done.status == "complied" and done.proof is not None
    event = Event.objects.get(kind=EventKind.CONDITION_COMPLIED)
    assert event.payload["proof_sha256"] == done.proof.sha256 and event.payload["late"] is False
    with pytest.raises(CaseError, match="already been complied with"):
        services.condition_not_complied(actor=case_officer, condition=course, reasons="No")
    client = signed_in(case_officer)
    response = client.get(reverse("compliance:proof", args=[done.pk]))
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Disposition"].startswith("attachment")
    # Recorded: no reminder, no overdue notice.
    assert compliance_notices_queue(today=course.due_on + dt.timedelta(days=5)) == 0


def test_the_end_of_a_sanction_cannot_be_recorded_by_hand(case, case_officer) -> None:
    case = sanctioned(case, case_officer, "expulsion", timezone.localdate() + dt.timedelta(days=9))
    end = Condition.objects.get(case=case)
    with pytest.raises(CaseError, match="reached on its date"):
        services.condition_complied(actor=case_officer, condition=end, note="Ended")


@pytest.mark.parametrize(
    ("sanction", "ended"),
    [("suspension", "suspension.ended"), ("expulsion", "readmission_bar.ended")],
)
def test_an_end_reached_tells_the_membership_system_once(
    case, case_officer, organisation, sanction, ended
) -> None:
    receiver = Receiver()
    Endpoint.objects.create(organisation=organisation, url=receiver.url, secret=SECRET)
    try:
        ends = timezone.localdate() + dt.timedelta(days=20)
        case = sanctioned(case, case_officer, sanction, ends)
        webhooks_deliver_pending()
        receiver.received.clear()
        assert services.sanction_ends_reach(today=ends) == 0  # the last day: still running
        assert services.sanction_ends_reach(today=ends + dt.timedelta(days=1)) == 1
        assert services.sanction_ends_reach(today=ends + dt.timedelta(days=2)) == 0
        assert Condition.objects.get(case=case).status == "ended"
        assert webhooks_deliver_pending() == 2
        events = sorted(json.loads(body)["event"] for _, body in receiver.received)
        assert events == sorted(["sanction.expired", ended])
        body = json.loads(receiver.received[0][1])
        assert body["member"] == {"membership_number": "M4471"}
        assert body["ends_on"] == ends.isoformat()
        assert Event.objects.filter(kind=EventKind.SANCTION_ENDED, case_id=case.pk).count() == 1
    finally:
        receiver.server.shutdown()


def test_the_case_team_adds_and_records_a_condition_from_the_case_page(case, case_officer) -> None:
    case = sanctioned(case, case_officer, "formal_warning")
    client = signed_in(case_officer)
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert b'id="sanction"' in page.content and b"asks nothing with a date" in page.content
    add = reverse("compliance:add", args=[case.reference])
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    refused = client.post(add, {"kind": "apology", "description": "", "due_on": yesterday})
    assert refused.status_code == 400
    assert b"Say what the person must do." in refused.content
    assert b"The date it is due must be in the future." in refused.content
    due = (timezone.localdate() + dt.timedelta(days=28)).isoformat()
    done = client.post(
        add,
        {"kind": "apology", "description": "Write to the complainant to apologise", "due_on": due},
    )
    assert done.status_code == 302
    apology = Condition.objects.get(case=case)
    assert (apology.kind, apology.created_by, apology.imposed_by) == (
        "apology",
        case_officer,
        None,
    )
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert b"Write to the complainant to apologise" in page.content
    record = reverse("compliance:record", args=[apology.pk])
    missing = client.post(record, {"outcome": "not_complied", "note": ""})
    assert missing.status_code == 400
    assert (
        client.post(record, {"outcome": "not_complied", "note": "Refused to."}).status_code == 302
    )
    apology.refresh_from_db()
    assert (apology.status, apology.finish_note) == ("not_complied", "Refused to.")
    assert Event.objects.filter(kind=EventKind.CONDITION_NOT_COMPLIED).count() == 1


def test_no_condition_without_a_sanction(case, case_officer) -> None:
    with pytest.raises(CaseError, match="no sanction in effect"):
        services.condition_add(
            actor=case_officer,
            case=case,
            kind="apology",
            description="Apologise",
            due_on=timezone.localdate() + dt.timedelta(days=5),
        )


def test_the_follow_up_list_puts_overdue_first_and_keeps_others_out(
    case, case_officer, organisation, governing_member
) -> None:
    case_assign(actor=case_officer, case=case, user=case_officer, role="case_officer")
    case = sanctioned(case, case_officer, "mandatory_education")
    course = Condition.objects.get(case=case)
    Condition.objects.filter(pk=course.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    client = signed_in(case_officer)
    page = client.get(reverse("compliance:follow_up"))
    assert page.status_code == 200
    assert b"Overdue 3 days" in page.content and case.reference.encode() in page.content
    # Another officer, not on the team.
    other = make_user(organisation, "otto", Role.CASE_OFFICER)
    elsewhere = signed_in(other).get(reverse("compliance:follow_up"))
    assert case.reference.encode() not in elsewhere.content
    refused = signed_in(other).get(reverse("compliance:record", args=[course.pk]))
    assert refused.status_code == 404
    assert AccessAttempt.objects.filter(user=other, case=case).exists()
    assert signed_in(governing_member).get(reverse("compliance:follow_up")).status_code == 403


def test_the_respondent_sees_what_is_asked_in_the_portal_and_the_complainant_does_not(
    case, case_officer
) -> None:
    case = sanctioned(case, case_officer, "mandatory_education")
    course = Condition.objects.get(case=case)
    respondent = party_client(case, case.respondent, case_officer)
    page = respondent.get(reverse("portal:case", args=[case.reference])).content.decode()
    assert "What the sanction asks of you" in page
    assert f"by {course.due_on:%-d %B %Y}" in page
    services.condition_complied(actor=case_officer, condition=course, note="Seen: certificate 12")
    page = respondent.get(reverse("portal:case", args=[case.reference])).content.decode()
    assert "complied with" in page and "certificate 12" not in page  # not the team's note
    complainant = case.parties.get(role="complainant").person
    theirs = party_client(case, complainant, case_officer).get(
        reverse("portal:case", args=[case.reference])
    )
    assert b"What the sanction asks" not in theirs.content


def test_the_api_follows_up_as_the_pages_do(case, case_officer) -> None:
    case_assign(actor=case_officer, case=case, user=case_officer, role="case_officer")
    case = sanctioned(case, case_officer, "mandatory_education")
    api = api_for(case_officer)
    (course,) = api.get(f"/cases/{case.reference}/conditions").json()
    assert (course["kind"], course["status"], course["overdue"]) == (
        "Complete a course",
        "Due",
        False,
    )
    assert [row["id"] for row in api.get("/sanctions/conditions").json()] == [course["id"]]
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    added = api.post(
        f"/cases/{case.reference}/conditions",
        {"kind": "apology", "description": "Apologise in writing", "due_on": due},
        key="apology-1",
    )
    assert added.status_code == 201 and added.json()["kind"] == "Apologise"
    past = api.post(
        f"/cases/{case.reference}/conditions",
        {"kind": "apology", "description": "Apologise", "due_on": "2020-01-01"},
    )
    assert_error(past, 409, "refused")
    record = f"/api/v1/cases/{case.reference}/conditions/{course['id']}/record"
    response = api.client.post(
        record,
        {
            "outcome": "complied",
            "note": "The certificate.",
            "proof": SimpleUploadedFile("certificate.png", PNG),
        },
        headers=api.headers,
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["has_proof"]) == ("Complied with", True)
    again = api.client.post(record, {"outcome": "not_complied", "note": "No."}, headers=api.headers)
    assert_error(again, 409, "refused")
    proof = api.get(f"/cases/{case.reference}/conditions/{course['id']}/proof")
    assert proof.status_code == 200 and proof.content == PNG
