"""The respondent's reply with files: each file an evidence item of the case, in the reply's
transaction; a refused file writes nothing and is named beside the file field."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fairhearing.conftest import signed_in
from fairhearing.evidence import sniff
from fairhearing.evidence.models import EvidenceItem, Source
from fairhearing.evidence.services import EvidenceRefused, Upload, evidence_add_file
from fairhearing.evidence.tests.files import pdf, png
from fairhearing.ledger.models import Event, EventKind
from fairhearing.portal import services
from fairhearing.portal.models import Reply
from fairhearing.portal.tests.test_portal import signed_in_party

pytestmark = pytest.mark.django_db


def stored_blobs() -> list[Path]:
    return [p for p in Path(settings.EVIDENCE_ROOT).rglob("*") if p.is_file()]


def test_a_reply_brings_its_files_as_evidence_items_it_names(at_notice, case_officer) -> None:
    evidence_add_file(actor=case_officer, case=at_notice, upload=Upload("shot.png", png()))
    reply = services.reply_submit(
        case=at_notice,
        person=at_notice.respondent,
        role="respondent",
        text="I deny it; here is the thread.",
        uploads=[Upload("thread.pdf", pdf()), Upload("reply.png", png("green"))],
    )
    items = list(reply.evidence.order_by("number"))
    assert [(i.number, i.original_name) for i in items] == [(2, "thread.pdf"), (3, "reply.png")]
    assert all(
        i.source == Source.PARTY and i.added_by_person_id == at_notice.respondent_id for i in items
    )
    event = Event.objects.get(kind=EventKind.REPLY_RECEIVED)
    assert event.payload["evidence"] == [2, 3]
    added = Event.objects.filter(kind=EventKind.EVIDENCE_ADDED, case_id=at_notice.pk)
    assert [e.payload["number"] for e in added.order_by("seq")] == [1, 2, 3]
    assert all(e.seq < event.seq for e in added)


def test_a_reply_without_files_names_none(at_notice) -> None:
    services.reply_submit(
        case=at_notice, person=at_notice.respondent, role="respondent", text="I deny it."
    )
    assert Event.objects.get(kind=EventKind.REPLY_RECEIVED).payload["evidence"] == []
    assert not EvidenceItem.objects.exists()


@pytest.mark.parametrize(
    "refused",
    [
        Upload("notes.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        Upload("empty.txt", b""),
        Upload("page.txt", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_refused_file_writes_nothing_not_even_the_good_files(at_notice, refused) -> None:
    events = Event.objects.count()
    with pytest.raises(EvidenceRefused, match=refused.name):
        services.reply_submit(
            case=at_notice,
            person=at_notice.respondent,
            role="respondent",
            text="I deny it.",
            uploads=[Upload("thread.pdf", pdf()), refused],
        )
    assert not Reply.objects.exists() and not EvidenceItem.objects.exists()
    assert Event.objects.count() == events
    assert stored_blobs() == []  # the good file was checked, never stored


def test_more_files_than_allowed_are_refused(at_notice) -> None:
    uploads = [Upload(f"{n}.png", png(size=(10 + n, 10))) for n in range(6)]
    with pytest.raises(services.CaseError, match=services.REPLY_TOO_MANY_FILES):
        services.reply_submit(
            case=at_notice,
            person=at_notice.respondent,
            role="respondent",
            text="I deny it.",
            uploads=uploads,
        )
    assert not EvidenceItem.objects.exists()


def post_reply(client, case, *files) -> Any:
    return client.post(
        reverse("portal:reply", args=[case.reference]),
        {"text": "I deny it.", "attachments": list(files)},
    )


def test_the_form_names_the_refused_file_and_the_files_accepted(at_notice, case_officer) -> None:
    client = signed_in_party(at_notice, case_officer)
    response = post_reply(
        client,
        at_notice,
        SimpleUploadedFile("thread.pdf", pdf()),
        SimpleUploadedFile("minutes.docx", b"PK\x03\x04 not a document we take"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    message = f"“minutes.docx” cannot be added: {sniff.UNKNOWN_TYPE}"
    assert message in page
    assert 'id="id_attachments-error"' in page and "govuk-file-upload--error" in page
    assert page.count(message) == 2  # the error summary and beside the field
    assert "I deny it." in page  # what they wrote is kept
    assert not Reply.objects.exists() and not EvidenceItem.objects.exists()


def test_a_file_too_large_is_named_with_the_files_accepted(
    at_notice, case_officer, settings
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    client = signed_in_party(at_notice, case_officer)
    big = SimpleUploadedFile("scan.pdf", pdf() + b"%" * (1024 * 1024))
    page = post_reply(client, at_notice, big).content.decode()
    assert (
        "“scan.pdf” cannot be added: The file is larger than 1 MB. Add PDF, PNG, JPEG, GIF, "
        "WebP or plain text files, up to 1 MB each."
    ) in page


def test_six_files_are_refused_by_the_form(at_notice, case_officer) -> None:
    client = signed_in_party(at_notice, case_officer)
    files = [SimpleUploadedFile(f"{n}.txt", b"note %d" % n) for n in range(6)]
    response = post_reply(client, at_notice, *files)
    assert response.status_code == 400
    assert services.REPLY_TOO_MANY_FILES in response.content.decode()


def test_the_respondent_and_the_case_team_see_the_files_sent(at_notice, case_officer) -> None:
    client = signed_in_party(at_notice, case_officer)
    form = client.get(reverse("portal:reply", args=[at_notice.reference])).content.decode()
    assert 'enctype="multipart/form-data"' in form
    assert 'type="file"' in form and " multiple" in form
    response = post_reply(
        client,
        at_notice,
        SimpleUploadedFile("thread.pdf", pdf()),
        SimpleUploadedFile("reply.png", png()),
    )
    assert response.status_code == 302
    page = client.get(reverse("portal:case", args=[at_notice.reference])).content.decode()
    assert "Item 1: thread.pdf" in page and "Item 2: reply.png" in page

    staff = signed_in(case_officer).get(reverse("cases:detail", args=[at_notice.reference]))
    text = staff.content.decode()
    for number, name in ((1, "thread.pdf"), (2, "reply.png")):
        url = reverse("evidence:download", args=[at_notice.reference, number])
        assert f'href="{url}">Item {number}: {name}</a>' in text
