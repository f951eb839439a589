import datetime as dt
import hashlib
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from fairhearing.cases.models import Party
from fairhearing.cases.services import party_protect_identity
from fairhearing.conftest import signed_in
from fairhearing.evidence import services
from fairhearing.evidence.models import EvidenceItem
from fairhearing.evidence.services import Upload
from fairhearing.evidence.storage import BlobTampered, blob_path
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify

from .files import pdf, png

pytestmark = pytest.mark.django_db


def add_png(case, actor=None, colour="red"):
    return services.evidence_add_file(
        actor=actor, case=case, upload=Upload("shot.png", png(colour)), description="Screenshot"
    )


def events(kind):
    return list(Event.objects.filter(kind=kind).order_by("seq"))


def test_a_file_is_stored_under_its_sha256_and_numbered(case, case_officer) -> None:
    data = png()
    item = services.evidence_add_file(
        actor=case_officer, case=case, upload=Upload("../../shot.png", data), description="Post"
    )
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.number == 1
    assert item.original_name == "shot.png"
    assert item.blob is not None and item.blob.content_type == "image/png"
    assert blob_path(item.sha256).read_bytes() == data
    second = add_png(case, colour="green")
    assert second.number == 2
    [added, _] = events(EventKind.EVIDENCE_ADDED)
    assert added.case_id == case.pk
    assert added.payload["sha256"] == item.sha256
    assert added.payload["number"] == 1
    assert "Post" not in str(added.payload)  # the description is hashed, never copied


def test_the_same_file_twice_is_stored_once(case) -> None:
    first, second = add_png(case), add_png(case)
    assert first.blob_id == second.blob_id
    assert (first.number, second.number) == (1, 2)


def test_items_cannot_be_updated_in_the_database(case) -> None:
    item = add_png(case)
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        EvidenceItem.objects.filter(pk=item.pk).update(description="Changed")
    with (
        pytest.raises(DatabaseError, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE evidence_blob SET size = 1")
    item.refresh_from_db()
    assert item.description == "Screenshot"


def test_bytes_changed_on_disk_are_never_served(case, case_officer) -> None:
    item = add_png(case)
    path = blob_path(item.sha256)
    path.chmod(0o640)
    path.write_bytes(png("black"))
    with pytest.raises(BlobTampered):
        services.evidence_open(actor=case_officer, item=item)
    assert events(EventKind.EVIDENCE_VIEWED) == []


def test_a_refused_file_writes_nothing(case) -> None:
    before = Event.objects.count()
    with pytest.raises(services.EvidenceRefused, match=r"named \.pdf"):
        services.evidence_add_file(actor=None, case=case, upload=Upload("x.pdf", png()))
    assert EvidenceItem.objects.count() == 0
    assert Event.objects.count() == before


def test_a_post_capture_hashes_its_canonical_form(case, case_officer) -> None:
    posted = timezone.now() - dt.timedelta(days=400)
    item = services.evidence_add_post(
        actor=case_officer,
        case=case,
        url="https://twitter.com/RowanA/status/1790?s=20",
        author_handle="@RowanA",
        posted_at=posted,
        captured_text="The text of the post.",
        screenshot=Upload("shot.png", png()),
    )
    assert item.platform == "x"
    assert item.author_handle == "RowanA"
    assert item.post_key == "x.com/rowana/status/1790"
    assert item.blob is not None and item.blob.content_type == "image/png"
    assert item.sha256 == services.capture_sha256(
        url=item.url,
        platform="x",
        author_handle="RowanA",
        posted_at=posted,
        captured_text="The text of the post.",
        captured_at=item.captured_at,  # type: ignore[arg-type]
        screenshot_sha256=hashlib.sha256(png()).hexdigest(),
    )
    assert events(EventKind.EVIDENCE_ADDED)[0].payload["sha256"] == item.sha256


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({}, services.NEEDS_URL_OR_TEXT),
        (
            {"captured_text": "x", "posted_at": timezone.now() + dt.timedelta(days=2)},
            services.POSTED_IN_FUTURE,
        ),
        (
            {"captured_text": "x", "screenshot": Upload("notes.txt", b"plain text")},
            services.SCREENSHOT_NOT_IMAGE,
        ),
    ],
)
def test_bad_captures_are_refused(case, kwargs, reason) -> None:
    with pytest.raises(services.EvidenceRefused, match=reason.split(" (")[0]):
        services.evidence_add_post(actor=None, case=case, **kwargs)
    assert EvidenceItem.objects.count() == 0


def test_the_bundle_lists_every_item_and_hash_and_its_export_is_on_the_ledger(
    case, case_officer
) -> None:
    shot = add_png(case)
    post = services.evidence_add_post(
        actor=None, case=case, url="https://x.com/a/status/1", captured_text="Words posted."
    )
    document = services.evidence_add_file(
        actor=None, case=case, upload=Upload("minutes.pdf", pdf("Appended minutes"))
    )
    bundle = services.bundle_make(actor=case_officer, case=case, audience="panel")
    reader = PdfReader(io.BytesIO(bundle.pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for item in (shot, post, document):
        assert item.sha256 in text.replace("\n", "")
    assert "Words posted." in text
    assert "Appended minutes" in reader.pages[-1].extract_text()  # the PDF's own page
    assert bundle.sha256 == hashlib.sha256(bundle.pdf).hexdigest()
    [exported] = events(EventKind.EVIDENCE_EXPORTED)
    assert exported.payload["bundle_sha256"] == bundle.sha256
    assert [i["sha256"] for i in exported.payload["items"]] == [
        shot.sha256,
        post.sha256,
        document.sha256,
    ]
    assert events(EventKind.EVIDENCE_DISCLOSED) == []
    assert ledger_verify().ok


def test_the_respondents_bundle_redacts_a_protected_complainant(case, case_officer) -> None:
    complainant = case.parties.get(role=Party.Role.COMPLAINANT)
    party_protect_identity(
        actor=case_officer, party=complainant, reason="Fear of reprisal in the branch."
    )
    services.evidence_add_post(
        actor=None,
        case=case,
        captured_text="Reply to PRIYA Callender: you will regret this.",
        person=complainant.person,
        source="party",
    )
    panel = PdfReader(io.BytesIO(services.bundle_make(actor=None, case=case, audience="panel").pdf))
    respondent = services.bundle_make(actor=None, case=case, audience="respondent")
    panel_text = "".join(p.extract_text() for p in panel.pages)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(respondent.pdf)).pages)
    assert "Priya Callender" in panel_text
    assert "Callender" not in text
    assert "[redacted]" in text
    assert "identity withheld" in text
    [disclosed] = events(EventKind.EVIDENCE_DISCLOSED)
    assert disclosed.payload["person"] == case.respondent_id
    assert disclosed.payload["bundle_sha256"] == respondent.sha256


def test_pages_add_download_and_bundle(case, case_officer, make_complaint) -> None:
    from fairhearing.workflow.services import case_assign

    case_assign(actor=None, case=case, user=case_officer, role="case_officer")
    client = signed_in(case_officer)
    url = reverse("evidence:add_file", args=[case.reference])
    refused = client.post(
        url, {"file": io.BytesIO(b"<svg onload=alert(1)>"), "description": "x"}, format="multipart"
    )
    assert refused.status_code == 400
    assert "web page or script content" in refused.content.decode()
    upload = io.BytesIO(png())
    upload.name = "shot.png"
    response = client.post(url, {"file": upload, "description": "The post"})
    assert response.status_code == 302
    page = client.get(reverse("evidence:list", args=[case.reference]))
    assert hashlib.sha256(png()).hexdigest() in page.content.decode()
    download = client.get(reverse("evidence:download", args=[case.reference, 1]))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == (
        f'attachment; filename="evidence-{case.reference}-1.png"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"].startswith("sandbox")
    assert download.content == png()
    [viewed] = events(EventKind.EVIDENCE_VIEWED)
    assert viewed.actor_id == case_officer.pk
    bundle = client.get(reverse("evidence:bundle", args=[case.reference, "panel"]))
    assert bundle.status_code == 200 and bundle.content.startswith(b"%PDF")
    # Another case's item is not reachable by changing the reference or the number.
    other = make_complaint(respondents=("Ellis Moreno",)).cases.get()
    assert client.get(reverse("evidence:download", args=[case.reference, 2])).status_code == 404
    assert client.get(reverse("evidence:download", args=[other.reference, 1])).status_code == 404
