"""The public forms: answers, then "check your answers" (nothing is received before it is
sent), a file sent with the complaint, and the post it names kept as evidence."""

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fairhearing.cases.models import Case, Complaint
from fairhearing.evidence.models import EvidenceItem, Kind, Source
from fairhearing.evidence.tests.files import png
from fairhearing.intake import staging
from fairhearing.intake.tests.test_anonymous import FORM as ANONYMOUS
from fairhearing.intake.tests.test_complaint_form import VALID, send
from fairhearing.ledger.models import Event
from fairhearing.ledger.queries import ledger_verify

pytestmark = pytest.mark.django_db


def shot(colour: str = "red") -> SimpleUploadedFile:
    return SimpleUploadedFile("post.png", png(colour=colour), content_type="image/png")


def staged_files(settings) -> list[Path]:
    root = Path(settings.UPLOAD_STAGING_ROOT)
    return [p for p in root.iterdir() if p.is_file()] if root.exists() else []


def test_nothing_is_received_until_the_answers_are_checked_and_sent(
    client: Client, organisation
) -> None:
    events = Event.objects.count()
    answered = client.post(reverse("intake:form"), {**VALID, "respondent_2_name": "Tamsin Keogh"})
    assert answered.status_code == 302 and answered["Location"] == reverse("intake:check")
    assert Complaint.objects.count() == 0 and Event.objects.count() == events

    page = client.get(reverse("intake:check")).content.decode()
    assert "Check your answers before sending your complaint" in page
    for words in (
        "Priya Callender",
        "priya@example.invalid",
        "Rowan Ashby",
        "Bramley Vale",
        "Tamsin Keogh",
        "Person 2",
        "Antisemitism",  # the rulebook's label, not its key
        "3 March 2026",
        "https://social.example/posts/1",
        "No file attached",
    ):
        assert words in page, words
    assert "antisemitism" not in page.replace("Antisemitism", "")
    # Each answer changes at its own box on the form, which comes back filled in.
    assert f'href="{reverse("intake:form")}#id_respondent_2_name"' in page
    assert f'href="{reverse("intake:form")}#id_conduct_date-day"' in page
    again = client.get(reverse("intake:form")).content.decode()
    assert 'value="Tamsin Keogh"' in again and 'name="conduct_date-year"' in again
    assert 'value="2026"' in again and "There is a problem" not in again

    client.post(reverse("intake:check"), follow=True)
    assert Complaint.objects.count() == 1 and Case.objects.count() == 2
    # Sent once: the answers are gone, and the check page goes back to the form.
    assert client.get(reverse("intake:check"))["Location"] == reverse("intake:form")
    assert 'value="Priya Callender"' not in client.get(reverse("intake:form")).content.decode()


def test_a_changed_answer_is_what_is_sent(client: Client, organisation) -> None:
    client.post(reverse("intake:form"), VALID)
    client.post(reverse("intake:form"), {**VALID, "respondent_1_name": "Rowan Ashbury"})
    assert "Rowan Ashbury" in client.get(reverse("intake:check")).content.decode()
    client.post(reverse("intake:check"))
    assert Case.objects.get().respondent.full_name == "Rowan Ashbury"


def test_the_check_page_needs_answers(client: Client, organisation) -> None:
    assert client.get(reverse("intake:check"))["Location"] == reverse("intake:form")
    assert client.post(reverse("intake:check"))["Location"] == reverse("intake:form")
    assert Complaint.objects.count() == 0


def test_the_file_waits_for_the_check_then_becomes_evidence_on_each_case(
    client: Client, organisation, settings
) -> None:
    data = {
        **VALID,
        "respondent_2_name": "Tamsin Keogh",
        "file": shot(),
        "file_description": "Screenshot of the post",
    }
    client.post(reverse("intake:form"), data)
    (waiting,) = staged_files(settings)
    assert waiting.stat().st_mode & 0o077 == 0  # readable by the service only
    assert EvidenceItem.objects.count() == 0
    page = client.get(reverse("intake:check")).content.decode()
    assert "post.png" in page and "Screenshot of the post" in page
    assert "You attached" in client.get(reverse("intake:form")).content.decode()

    send_page = client.post(reverse("intake:check"), follow=True)
    assert "Complaint received" in send_page.content.decode()
    assert staged_files(settings) == []
    complaint = Complaint.objects.get()
    for case in complaint.cases.all():
        post, file = case.evidence.order_by("number")
        assert (post.kind, post.url, post.source) == (
            Kind.POST,
            "https://social.example/posts/1",
            Source.COMPLAINT,
        )
        assert (file.kind, file.description, file.source) == (
            Kind.FILE,
            "Screenshot of the post",
            Source.COMPLAINT,
        )
        assert post.added_by_person == file.added_by_person == complaint.complainant
        assert file.blob is not None and file.blob.sha256 == file.sha256
    assert ledger_verify().ok


def test_a_file_can_be_removed_before_sending(client: Client, organisation, settings) -> None:
    client.post(reverse("intake:form"), {**VALID, "url": "", "file": shot()})
    assert len(staged_files(settings)) == 1
    removed = client.post(reverse("intake:check"), {"remove_file": "1"}, follow=True)
    assert "post.png removed." in removed.content.decode()
    assert "No file attached" in removed.content.decode()
    assert staged_files(settings) == []
    client.post(reverse("intake:check"))
    assert Complaint.objects.count() == 1 and EvidenceItem.objects.count() == 0


def test_a_file_left_too_long_is_said_to_be_gone_and_nothing_is_sent(
    client: Client, organisation, settings
) -> None:
    client.post(reverse("intake:form"), {**VALID, "file": shot()})
    (waiting,) = staged_files(settings)
    day_ago = time.time() - staging.KEPT_FOR.total_seconds() - 60
    os.utime(waiting, (day_ago, day_ago))
    assert staging.staged_purge() == 1 and staged_files(settings) == []
    response = client.post(reverse("intake:check"), follow=True)
    assert "has been deleted" in response.content.decode()
    assert Complaint.objects.count() == 0
    client.post(reverse("intake:check"))  # sent without it, if the person chooses to
    assert Complaint.objects.count() == 1 and not EvidenceItem.objects.filter(kind=Kind.FILE)


def test_a_refused_file_is_explained_at_the_form_and_nothing_waits(
    client: Client, organisation, settings
) -> None:
    bad = SimpleUploadedFile("post.png", b"<html><script>x</script>", content_type="image/png")
    response = client.post(reverse("intake:form"), {**VALID, "file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_file"' in page and "web page or script content" in page
    assert staged_files(settings) == [] and client.get(reverse("intake:check")).status_code == 302


def test_the_same_post_reported_again_joins_the_case_with_its_file_and_one_post_item(
    organisation,
) -> None:
    first, second = Client(), Client()
    send(first, VALID)
    send(second, {**VALID, "complainant_name": "Ines Mabry", "file": shot("blue")})
    case = Case.objects.get()
    assert case.complaints.count() == 2
    items = list(case.evidence.order_by("number"))
    assert [i.kind for i in items] == [Kind.POST, Kind.FILE]
    complainant = items[1].added_by_person
    assert complainant is not None and complainant.full_name == "Ines Mabry"


def test_the_anonymous_report_is_checked_too_and_keeps_its_post(
    client: Client, organisation
) -> None:
    data = {**ANONYMOUS, "url": "https://social.example/posts/9", "file": shot()}
    client.post(reverse("intake:anonymous"), data)
    page = client.get(reverse("intake:anonymous_check")).content.decode()
    assert "Check your answers before sending your report" in page
    assert "About you" not in page and "receipt code" in page
    received = client.post(reverse("intake:anonymous_check"), follow=True)
    assert "receipt-code" in received.content.decode()
    case = Case.objects.get()
    assert [(i.kind, i.source) for i in case.evidence.order_by("number")] == [
        (Kind.POST, Source.ANONYMOUS),
        (Kind.FILE, Source.ANONYMOUS),
    ]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("3", "", "2026"), "The date must include a month."),
        (("", "", "2026"), "The date must include a day and a month."),
        (("30", "2", "2026"), "The date must be a real date."),
        (("3", "March", "2026"), "The date must be a real date."),
        (("3", "3", "26"), "The year must include 4 numbers."),
    ],
)
def test_the_date_boxes_explain_what_is_wrong(
    client: Client, organisation, parts: tuple[str, str, str], message: str
) -> None:
    day, month, year = parts
    data = {k: v for k, v in VALID.items() if k != "conduct_date"}
    data |= {"conduct_date-day": day, "conduct_date-month": month, "conduct_date-year": year}
    response = client.post(reverse("intake:form"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count(message) == 2 and 'href="#id_conduct_date-day"' in page
    for value in parts:  # what was typed is shown back
        if value:
            assert f'value="{value}"' in page


def test_the_date_boxes_make_the_date(client: Client, organisation) -> None:
    data = {k: v for k, v in VALID.items() if k != "conduct_date"}
    data |= {"conduct_date-day": "7", "conduct_date-month": "11", "conduct_date-year": "2025"}
    send(client, data)
    assert Case.objects.get().allegations.get().conduct_date == dt.date(2025, 11, 7)
