"""A party without email: the notice and every letter are made as a PDF for post, recorded as
posted with the date, and a time limit that binds the respondent runs from the date of
service under the rulebook, never from the decision (R-12, R-22)."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from fairhearing.api.tests.test_api import api_for, assert_error
from fairhearing.conftest import signed_in, walk
from fairhearing.deadlines.models import Deadline
from fairhearing.deadlines.services import (
    STARTS_ON_SERVICE,
    DeadlineError,
    calendar_for,
    deadline_resume,
    service_day_start,
)
from fairhearing.ledger.models import Event, EventKind
from fairhearing.notifications import services
from fairhearing.notifications.models import Notification
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.people.models import Person
from fairhearing.portal.services import sign_in_link_use
from fairhearing.workflow.sign_in import sign_in_link_send

pytestmark = pytest.mark.django_db
TO_NOTICE = ("acknowledge", "begin_assessment", "assess_investigate")
ADDRESS = "4 Mill Lane\nNorthfield\nNF1 2AB"
INTERNAL = re.compile(r"respondent_reply|notice_of_allegations|assess_investigate|None|\{|_")


def with_address(case):
    Person.objects.filter(pk=case.respondent_id).update(postal_address=ADDRESS)
    case.respondent.refresh_from_db()
    return case


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def reply_window(case) -> Deadline:
    return case.deadlines.get(kind="respondent_reply")


def test_without_an_email_the_notice_is_a_letter_and_the_reply_clock_waits(
    case, case_officer
) -> None:
    case = walk(case, case_officer, *TO_NOTICE)
    (letter,) = Notification.objects.filter(kind="notice_of_allegations")
    assert (letter.channel, letter.status, letter.to_email) == ("post", "to_post", "")
    assert notifications_send_pending() == 0 and mail.outbox == []
    window = reply_window(case)
    assert window.awaits_service and window.status == "paused"
    with pytest.raises(DeadlineError, match=STARTS_ON_SERVICE):
        deadline_resume(actor=case_officer, deadline=window, reasons="Start it anyway.")
    event = Event.objects.get(kind=EventKind.LETTER_TO_POST)
    assert event.payload == {
        "notification": letter.pk,
        "kind": "notice_of_allegations",
        "role": "respondent",
        "person": case.respondent_id,
    }
    opened = Event.objects.get(kind=EventKind.DEADLINE_OPENED, payload__kind="respondent_reply")
    assert opened.payload["awaits_service"] is True and "due_at" not in opened.payload


def test_recording_the_letter_posted_starts_the_window_from_the_date_of_service(
    case, case_officer
) -> None:
    case = with_address(walk(case, case_officer, *TO_NOTICE))
    letter = Notification.objects.get(kind="notice_of_allegations")
    today = timezone.localdate()
    with pytest.raises(services.LetterError, match="must be between"):
        services.letter_record_posted(
            actor=case_officer, letter=letter, posted_on=today + dt.timedelta(days=1)
        )
    services.letter_record_posted(actor=case_officer, letter=letter, posted_on=today)
    calendar = calendar_for(case)
    served = calendar.add_working_days(today, 2)  # the default rulebook: 2nd working day
    letter.refresh_from_db()
    assert (letter.status, letter.posted_on, letter.served_on) == ("posted", today, served)
    assert letter.to_address == ADDRESS and letter.posted_by == case_officer
    window = reply_window(case)
    assert window.status == "open" and not window.awaits_service
    assert window.started_at == service_day_start(case, served)
    assert calendar.local_date(window.due_at) == calendar.add_working_days(served, 10)
    started = Event.objects.get(kind=EventKind.TIME_LIMIT_STARTED_ON_SERVICE)
    assert started.payload["served_on"] == served.isoformat()
    with pytest.raises(services.LetterError, match=services.LETTER_ALREADY_POSTED):
        services.letter_record_posted(actor=case_officer, letter=letter, posted_on=today)
    page = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    text = page.content.decode()
    assert "Letter posted" in text and "Time limit started on service" in text
    assert f"Respondent&#x27;s reply window: due {window.due_at:%-d %B %Y}" in text


def test_a_letter_needs_a_postal_address_before_it_is_posted(case, case_officer) -> None:
    walk(case, case_officer, *TO_NOTICE)
    letter = Notification.objects.get(kind="notice_of_allegations")
    with pytest.raises(services.LetterError, match="Add the postal address of Rowan Ashby"):
        services.letter_record_posted(
            actor=case_officer, letter=letter, posted_on=timezone.localdate()
        )
    assert reply_window(case).awaits_service


def test_the_letter_pdf_says_what_is_alleged_and_by_when_in_words(case, case_officer) -> None:
    case = with_address(walk(case, case_officer, *TO_NOTICE))
    letter = Notification.objects.get(kind="notice_of_allegations")
    on = timezone.localdate()
    pdf = services.letter_pdf(letter, on=on)
    assert pdf == services.letter_pdf(letter, on=on)  # the same bytes each time
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    served = services.served_on_for(case, on)
    due = calendar_for(case).add_working_days(served, 10)
    assert f"A complaint about you: case {case.reference}" in flat
    assert "Rowan Ashby" in text and "4 Mill Lane" in text and "NF1 2AB" in text
    assert "Posted a cartoon demeaning a minority." in flat
    assert f"You can reply until {due:%d %B %Y}" in flat
    assert f"received on {served:%-d %B %Y}" in flat
    url = re.search(r"http://\S+/portal/sign-in/(\S+)/", flat)
    assert url, flat
    words = flat.replace(url.group(0), "").replace("Reasons for assess_investigate.", "")
    assert not INTERNAL.search(words), flat  # (the stock reasons `walk` records aside)
    # The link printed in the letter signs the respondent in to their case.
    assert sign_in_link_use(token=url.group(1)).case_id == case.pk


def test_with_an_email_the_notice_is_emailed_and_the_clock_runs_as_before(
    case, case_officer
) -> None:
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case.respondent.refresh_from_db()
    case = walk(case, case_officer, *TO_NOTICE)
    assert not Notification.objects.filter(channel="post").exists()
    window = reply_window(case)
    assert window.status == "open" and not window.awaits_service
    assert window.started_at == case.stage_entered_at


def test_a_sign_in_link_for_a_party_without_email_is_a_letter(case, case_officer) -> None:
    link = sign_in_link_send(actor=case_officer, case=case, person=case.respondent)
    letter = Notification.objects.get(kind="sign_in_letter")
    assert letter.context["sign_in_link"] == link.pk and mail.outbox == []
    page = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    assert reverse("cases:letter", args=[case.reference, letter.pk]) in page.content.decode()
    text = " ".join(pdf_text(services.letter_pdf(letter)).split())
    assert f"Following your case {case.reference} online" in text
    assert "reply to the allegations" in text  # written for the respondent


def test_staff_print_and_record_a_letter_through_the_page_and_the_api(case, case_officer) -> None:
    case = with_address(walk(case, case_officer, *TO_NOTICE))
    letter = Notification.objects.get(kind="notice_of_allegations")
    client = signed_in(case_officer)
    page = client.get(reverse("cases:letter", args=[case.reference, letter.pk]))
    assert page.status_code == 200 and "Record as posted" in page.content.decode()
    pdf = client.get(reverse("cases:letter_pdf", args=[case.reference, letter.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    api = api_for(case_officer)
    listed = api.get(f"/cases/{case.reference}/letters").json()
    assert [(x["id"], x["status"]) for x in listed] == [(letter.pk, "to_post")]
    got = api.get(f"/cases/{case.reference}/letters/{letter.pk}/pdf")
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    path = f"/cases/{case.reference}/letters/{letter.pk}/posted"
    assert_error(api.post(path, {"posted_on": "2020-01-01"}), 409, "refused")
    done = api.post(path, {"posted_on": timezone.localdate().isoformat()})
    assert done.status_code == 201, done.content
    assert reply_window(case).status == "open"
    assert_error(api.get(f"/cases/{case.reference}/letters/999999/pdf"), 404, "not_found")
