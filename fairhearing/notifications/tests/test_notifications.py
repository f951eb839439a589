import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from fairhearing.conftest import TO_HEARING, walk
from fairhearing.ledger.models import Event, EventKind
from fairhearing.notifications.models import Notification
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.people.models import Person
from fairhearing.workflow.services import case_schedule_hearing

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_emails(case):
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case.respondent.refresh_from_db()
    return case


def sent_to(kind: str) -> list[str]:
    return sorted(n.to_email for n in Notification.objects.filter(kind=kind))


def test_the_respondent_gets_notice_of_the_allegations_with_the_reply_deadline(
    case_with_emails, case_officer
) -> None:
    case = walk(
        case_with_emails, case_officer, "acknowledge", "begin_assessment", "assess_investigate"
    )
    assert sent_to("notice_of_allegations") == ["rowan@example.invalid"]
    mail.outbox.clear()
    assert notifications_send_pending() == 1
    (message,) = mail.outbox
    assert message.to == ["rowan@example.invalid"]
    assert case.reference in message.subject
    due = timezone.localtime(case.deadlines.get(kind="respondent_reply").due_at)
    assert f"You can reply until {due:%d %B %Y}" in message.body
    assert "Posted a cartoon demeaning a minority." in message.body
    assert isinstance(message, mail.EmailMultiAlternatives)
    assert "text/html" in message.alternatives[0][1]
    event = Event.objects.get(kind=EventKind.NOTIFICATION_SENT)
    assert event.payload["kind"] == "notice_of_allegations" and "rowan" not in str(event.payload)


def test_a_hearing_invitation_and_the_decision_with_how_to_appeal(
    case_with_emails, case_officer
) -> None:
    case = walk(case_with_emails, case_officer, *TO_HEARING)
    case_schedule_hearing(
        actor=case_officer, case=case, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    assert sent_to("hearing_invitation") == ["rowan@example.invalid"]
    walk(case, case_officer, "hearing_held", "decide_upheld")
    assert sent_to("decision") == ["priya@example.invalid", "rowan@example.invalid"]
    mail.outbox.clear()
    notifications_send_pending()
    decision = next(
        m
        for m in mail.outbox
        if m.subject.startswith("The decision") and m.to == ["rowan@example.invalid"]
    )
    assert "Reasons for decide_upheld." in decision.body
    assert "Sanction: Formal warning" in decision.body
    assert "you may appeal until" in decision.body
    assert "The panel has decided: allegations upheld, with sanction." in decision.body
    # The complainant's letter is written for them: what happens next, not how to appeal.
    to_complainant = next(
        m
        for m in mail.outbox
        if m.subject.startswith("The decision") and m.to == ["priya@example.invalid"]
    )
    assert "How to appeal" not in to_complainant.body
    assert "sign-in link" not in to_complainant.body
    assert "the member complained about may appeal until" in to_complainant.body


def test_closing_without_investigation_tells_only_the_complainant(
    case_with_emails, case_officer
) -> None:
    walk(
        case_with_emails,
        case_officer,
        "acknowledge",
        "begin_assessment",
        "assess_no_further_action",
    )
    assert sent_to("case_closed") == ["priya@example.invalid"]


def test_a_mail_failure_is_retried_with_back_off_and_never_blocks_the_case(
    case_with_emails, case_officer, settings
) -> None:
    settings.EMAIL_BACKEND = "fairhearing.intake.tests.failing_mail.Backend"
    case = walk(
        case_with_emails, case_officer, "acknowledge", "begin_assessment", "assess_investigate"
    )
    assert case.stage == "notice"  # the change stands whatever the mail server does
    now = timezone.now()
    assert notifications_send_pending(now=now) == 0
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert "unavailable" in notification.last_error
    assert notifications_send_pending(now=now + dt.timedelta(seconds=30)) == 0  # backing off
    assert Notification.objects.get().attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(now + dt.timedelta(minutes=2)):
        assert notifications_send_pending() == 1
    assert Notification.objects.get().status == "sent"


def test_a_sent_notification_is_not_sent_twice(case_with_emails, case_officer) -> None:
    walk(case_with_emails, case_officer, "acknowledge", "begin_assessment", "assess_investigate")
    assert notifications_send_pending() == 1
    assert notifications_send_pending(now=timezone.now() + dt.timedelta(days=1)) == 0


def test_every_message_is_recorded_on_the_case_page(case_with_emails, case_officer) -> None:
    from django.test import Client
    from django.urls import reverse

    from fairhearing.conftest import PASSWORD

    walk(case_with_emails, case_officer, "acknowledge", "begin_assessment", "assess_investigate")
    notifications_send_pending()
    client = Client()
    client.login(username=case_officer.username, password=PASSWORD)
    page = client.get(reverse("cases:detail", args=[case_with_emails.reference])).content.decode()
    assert "Notice of allegations" in page and "Rowan Ashby (respondent)" in page and "Sent" in page


def test_staff_get_one_daily_digest_of_their_cases_limits(make_complaint, case_officer) -> None:
    from fairhearing.cases.models import Assignment
    from fairhearing.notifications.services import staff_digests_queue
    from fairhearing.workflow.services import case_assign

    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False):
        mine = make_complaint().cases.get()
        other = make_complaint().cases.get()
        case_assign(actor=None, case=mine, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    with time_machine.travel(dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC), tick=False):
        assert staff_digests_queue() == 1
        assert staff_digests_queue() == 0  # once a day
        mail.outbox.clear()
        notifications_send_pending()
    (digest,) = mail.outbox
    assert digest.to == [case_officer.email]
    assert mine.reference in digest.body and "OVERDUE" in digest.body
    assert other.reference not in digest.body
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC), tick=False):
        assert staff_digests_queue() == 1  # the next day
