"""Redaction that keeps the original (issue 24, item 3): a redacted copy is burned in (text
extraction and pixel sampling under each box recover nothing), hashed, linked to its untouched
original and recorded as a decision with reasons; the respondent's bundle, portal and subject
access export use the copy, the panel's bundle the original. Item 4: the chain of custody."""

import hashlib
import io
from typing import Any

import pypdfium2
import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from fairhearing.cases.models import Case
from fairhearing.conftest import signed_in
from fairhearing.dataprotection.subject_access import collect
from fairhearing.evidence import services
from fairhearing.evidence.derivative import WITHHELD_TEXT, Area
from fairhearing.evidence.models import Redaction
from fairhearing.evidence.queries import custody_of, redaction_of
from fairhearing.evidence.services import EvidenceRefused, Upload
from fairhearing.evidence.storage import blob_read
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.portal.queries import party_evidence

pytestmark = pytest.mark.django_db

SECRET = "Priya Callender, 12 Elm Road"
# The box over the secret line on the PDF's first page, and over the image's name band.
PDF_BOX = Area(page=1, left=0.05, top=0.08, width=0.9, height=0.1)
IMAGE_BOX = Area(page=1, left=0.1, top=0.2, width=0.5, height=0.3)


def secret_pdf() -> bytes:
    """Two pages: the secret visible on the first, and on the second an invisible text layer
    (render mode 3, as a scanned page's OCR is) saying it again, with the document's metadata
    naming her too."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(600, 800))
    page.setTitle(f"Statement of {SECRET}")
    page.setAuthor(SECRET)
    page.setFont("Helvetica", 24)
    page.drawString(60, 700, SECRET)  # 100 pt from the top: inside PDF_BOX (64 to 144 pt)
    page.drawString(60, 400, "The branch meeting of 3 March")
    page.showPage()
    text = page.beginText(60, 400)
    text.setTextRenderMode(3)
    text.textLine(f"Hidden layer: {SECRET}")
    page.drawText(text)
    page.drawString(60, 300, "Page two, nothing marked")
    page.showPage()
    page.save()
    return out.getvalue()


def secret_png(size: tuple[int, int] = (400, 300)) -> bytes:
    """White, with a bright band where IMAGE_BOX falls (what must not be seen)."""
    image = Image.new("RGB", size, "white")
    w, h = size
    band = (int(0.1 * w), int(0.2 * h), int(0.6 * w) - 1, int(0.5 * h) - 1)
    image.paste((255, 40, 40), band)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def under(image: Image.Image, area: Area) -> list[Any]:
    """Every pixel under the area (on an image of any size)."""
    left, top, right, bottom = area.pixels(image.width, image.height)
    rgb = image.convert("RGB")
    return [rgb.getpixel((x, y)) for x in range(left, right) for y in range(top, bottom)]


def copy_of(redaction: Redaction) -> bytes:
    assert redaction.blob_id is not None
    return blob_read(redaction.blob_id)


def current(item: Any) -> Redaction:
    redaction = redaction_of(item)
    assert redaction is not None
    return redaction


def add(case, actor, name, data, description="Statement"):
    return services.evidence_add_file(
        actor=actor, case=case, upload=Upload(name, data), description=description
    )


def test_a_pdf_copy_keeps_nothing_under_its_boxes_and_no_text_at_all(case, case_officer) -> None:
    original = secret_pdf()
    item = add(case, case_officer, "statement.pdf", original)
    redaction = services.evidence_redact(
        actor=case_officer,
        item=item,
        areas=[PDF_BOX],
        phrases=[],
        reasons="The complainant's identity is protected.",
    )
    copy = copy_of(redaction)
    assert redaction.sha256 == hashlib.sha256(copy).hexdigest() == redaction.blob_id
    # The original is untouched and still what the ledger recorded.
    item.refresh_from_db()
    assert (
        blob_read(item.blob_id) == original and item.sha256 == hashlib.sha256(original).hexdigest()
    )
    assert SECRET in PdfReader(io.BytesIO(original)).pages[0].extract_text()
    # The copy: no text on any page (the hidden layer too), no metadata naming anyone.
    reader = PdfReader(io.BytesIO(copy))
    assert len(reader.pages) == 2
    assert [p.extract_text().strip() for p in reader.pages] == ["", ""]
    assert b"Priya" not in copy
    # No font program of the original's, and no text drawn on any page: each page is one
    # image (reportlab names its standard Helvetica, unused, in every document it writes).
    assert not any(f in copy for f in (b"/FontFile", b"/FontFile2", b"/FontFile3"))
    for page in reader.pages:
        drawn = page.get_contents()
        assert drawn is not None and b"BT" not in drawn.get_data()
        resources: Any = page["/Resources"]
        assert list(resources["/XObject"]) and "/Font" not in resources
    assert not any("Priya" in str(v) for v in (reader.metadata or {}).values())
    # Pixels: black under the box, the rest of the page still there.
    rendered = pypdfium2.PdfDocument(copy)[0].render(scale=2).to_pil()
    assert max(max(p) for p in under(rendered, PDF_BOX)) < 40
    original_page = pypdfium2.PdfDocument(original)[0].render(scale=2).to_pil()
    assert min(min(p) for p in under(original_page, PDF_BOX)) < 40  # there was text there
    below = Area(page=1, left=0.05, top=0.45, width=0.9, height=0.1)
    assert any(min(p) > 200 for p in under(rendered, below))  # white paper, not all black


def test_an_image_copy_is_painted_turned_as_shown_and_without_metadata(case, case_officer) -> None:
    item = add(case, case_officer, "shot.png", secret_png())
    redaction = services.evidence_redact(
        actor=case_officer, item=item, areas=[IMAGE_BOX], phrases=[], reasons="A third party."
    )
    copy = Image.open(io.BytesIO(copy_of(redaction)))
    assert copy.format == "PNG" and copy.size == (400, 300)
    assert set(under(copy, IMAGE_BOX)) == {(0, 0, 0)}
    assert copy.getpixel((390, 290)) == (255, 255, 255)
    assert not {"exif", "icc_profile", "dpi"} & set(copy.info)

    # A phone photo stored on its side (EXIF orientation 6): the box is where the viewer saw
    # it, on the photo turned upright.
    sideways = Image.new("RGB", (300, 400), "white")
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    sideways.save(out, format="JPEG", exif=exif.tobytes())
    photo = add(case, case_officer, "photo.jpg", out.getvalue())
    turned = services.evidence_redact(
        actor=case_officer, item=photo, areas=[IMAGE_BOX], phrases=[], reasons="A face."
    )
    shown = Image.open(io.BytesIO(copy_of(turned)))
    assert shown.size == (400, 300) and "exif" not in shown.info
    assert set(under(shown, IMAGE_BOX)) == {(0, 0, 0)}


def test_words_are_withheld_from_text_and_a_posts_capture(case, case_officer) -> None:
    text = add(
        case,
        case_officer,
        "notes.txt",
        f"Met {SECRET} on Tuesday. priya callender agreed.".encode(),
    )
    redaction = services.evidence_redact(
        actor=case_officer,
        item=text,
        areas=[],
        phrases=["Priya Callender", "12 Elm Road"],
        reasons="Her identity is protected.",
    )
    copy = copy_of(redaction).decode()
    assert "priya" not in copy.lower() and "Elm" not in copy
    assert copy == f"Met {WITHHELD_TEXT}, {WITHHELD_TEXT} on Tuesday. {WITHHELD_TEXT} agreed."

    post = services.evidence_add_post(
        actor=case_officer,
        case=case,
        url="https://x.com/rowan/status/1",
        captured_text=f"Reply to {SECRET}: you will regret this.",
        screenshot=Upload("shot.png", secret_png()),
    )
    both = services.evidence_redact(
        actor=case_officer,
        item=post,
        areas=[IMAGE_BOX],
        phrases=["Priya Callender"],
        reasons="Her identity is protected.",
    )
    assert both.captured_text == f"Reply to {WITHHELD_TEXT}, 12 Elm Road: you will regret this."
    assert set(under(Image.open(io.BytesIO(copy_of(both))), IMAGE_BOX)) == {(0, 0, 0)}


def test_a_redaction_is_a_recorded_decision_immutable_and_replaced_not_changed(
    case, case_officer
) -> None:
    item = add(case, case_officer, "shot.png", secret_png())
    reasons = "The complainant's identity is protected."
    first = services.evidence_redact(
        actor=case_officer, item=item, areas=[IMAGE_BOX], phrases=[], reasons=reasons
    )
    (event,) = Event.objects.filter(kind=EventKind.EVIDENCE_REDACTED)
    assert event.actor_id == case_officer.pk and event.case_id == case.pk
    assert event.payload["item"] == item.pk and event.payload["redaction"] == first.pk
    assert event.payload["original_sha256"] == item.sha256
    assert event.payload["sha256"] == first.sha256
    assert (event.payload["areas"], event.payload["phrases"]) == (1, 0)
    assert reasons not in event.canonical  # by hash only
    assert event.payload["reasons_sha256"] == content_hash(reasons)
    with pytest.raises(DatabaseError), transaction.atomic():
        Redaction.objects.filter(pk=first.pk).update(reasons="changed")
    wider = Area(page=1, left=0, top=0, width=1, height=0.6)
    second = services.evidence_redact(
        actor=case_officer, item=item, areas=[wider], phrases=[], reasons="Wider."
    )
    assert redaction_of(item) == second and first.sha256 != second.sha256
    assert Redaction.objects.filter(item=item).count() == 2
    assert ledger_verify().ok


@pytest.mark.parametrize(
    ("name", "data", "areas", "phrases", "message"),
    [
        ("shot.png", secret_png(), [], [" "], services.NOTHING_TO_REDACT),
        ("notes.txt", b"Some words", [IMAGE_BOX], [], services.NO_PICTURE),
        ("shot.png", secret_png(), [Area(2, 0, 0, 0.1, 0.1)], [], "Area 1 is on page 2"),
    ],
)
def test_what_cannot_be_redacted_is_refused_and_nothing_is_kept(
    case, case_officer, name, data, areas, phrases, message
) -> None:
    item = add(case, case_officer, name, data)
    with pytest.raises(EvidenceRefused, match=message):
        services.evidence_redact(
            actor=case_officer, item=item, areas=areas, phrases=phrases, reasons="Because."
        )
    assert not Redaction.objects.exists()
    assert not Event.objects.filter(kind=EventKind.EVIDENCE_REDACTED).exists()


def test_a_closed_case_is_not_redacted(case, case_officer) -> None:
    item = add(case, case_officer, "shot.png", secret_png())
    Case.objects.filter(pk=case.pk).update(
        stage="closed", outcome="no_case_to_answer", closed_at=timezone.now()
    )
    item.case.refresh_from_db()
    with pytest.raises(EvidenceRefused, match="closed"):
        services.evidence_redact(
            actor=case_officer, item=item, areas=[IMAGE_BOX], phrases=[], reasons="Because."
        )


def test_the_respondents_bundle_portal_and_subject_access_use_the_copy_the_panel_the_original(
    case, case_officer
) -> None:
    pdf_item = add(case, case_officer, "statement.pdf", secret_pdf(), "Statement")
    image_item = add(case, case_officer, "shot.png", secret_png(), "Screenshot")
    plain = add(case, case_officer, "other.png", secret_png((200, 100)), "Not redacted")
    pdf_copy = services.evidence_redact(
        actor=case_officer, item=pdf_item, areas=[PDF_BOX], phrases=[], reasons="Identity."
    )
    image_copy = services.evidence_redact(
        actor=case_officer, item=image_item, areas=[IMAGE_BOX], phrases=[], reasons="Identity."
    )

    respondent = services.bundle_make(actor=case_officer, case=case, audience="respondent")
    reader = PdfReader(io.BytesIO(respondent.pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert SECRET not in text and "Hidden layer" not in text
    assert pdf_copy.sha256 in text.replace("\n", "") and image_copy.sha256 in text.replace("\n", "")
    # The appended PDF pages are the copy's pages: images only.
    assert len(reader.pages) >= 2
    appended = reader.pages[-2:]
    assert [p.extract_text().strip() for p in appended] == ["", ""]
    # The embedded screenshot is the painted copy: black where the band was.
    shots = [im.image for page in reader.pages for im in page.images if im.image is not None]
    painted = [s for s in shots if s.size == (400, 300)]
    assert painted and all(set(under(s, IMAGE_BOX)) == {(0, 0, 0)} for s in painted)
    (disclosed,) = Event.objects.filter(kind=EventKind.EVIDENCE_DISCLOSED)
    listed = {i["item"]: i for i in disclosed.payload["items"]}
    assert listed[pdf_item.pk]["disclosed_sha256"] == pdf_copy.sha256
    assert listed[image_item.pk]["disclosed_sha256"] == image_copy.sha256
    assert "disclosed_sha256" not in listed[plain.pk]

    panel = services.bundle_make(actor=case_officer, case=case, audience="panel")
    panel_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(panel.pdf)).pages)
    assert SECRET in panel_text

    shown = {i.number: i for i in party_evidence(case, person=case.respondent, role="respondent")}
    assert shown[pdf_item.number].sha256 == pdf_copy.sha256 and shown[pdf_item.number].redacted
    assert shown[plain.number].sha256 == plain.sha256 and not shown[plain.number].redacted

    export = collect(case.respondent)
    (entry,) = [c for c in export["cases"] if c["reference"] == case.reference]
    hashes = {e["number"]: e["sha256"] for e in entry["evidence_disclosed_to_you"]}
    assert hashes == {
        pdf_item.number: pdf_copy.sha256,
        image_item.number: image_copy.sha256,
        plain.number: plain.sha256,
    }


def test_the_chain_of_custody_reads_the_ledger(case, case_officer) -> None:
    item = add(case, case_officer, "shot.png", secret_png())
    services.evidence_open(actor=case_officer, item=item)
    services.evidence_redact(
        actor=case_officer, item=item, areas=[IMAGE_BOX], phrases=[], reasons="Identity."
    )
    services.bundle_make(actor=case_officer, case=case, audience="respondent")
    services.evidence_open_redacted(actor=case_officer, redaction=current(item))
    other = add(case, case_officer, "other.png", secret_png((20, 20)))
    steps = custody_of(item)
    assert [s.what for s in steps] == [
        "Added",
        "Opened",
        "Redacted copy made for disclosure",
        "In the respondent's bundle",
        "Disclosed to the respondent (the redacted copy)",
        "Redacted copy opened",
    ]
    assert all(s.actor_id == case_officer.pk for s in steps)
    assert steps[-2].sha256 == steps[-1].sha256 == current(item).sha256
    assert [s.what for s in custody_of(other)] == ["Added"]


def test_the_pages_mark_redact_show_and_download(case, case_officer) -> None:
    item = add(case, case_officer, "statement.pdf", secret_pdf())
    client = signed_in(case_officer)
    page_url = reverse("evidence:redact", args=[case.reference, item.number])
    page = client.get(page_url).content.decode()
    for n in (1, 2):
        assert reverse("evidence:preview", args=[case.reference, item.number, n]) in page
    preview = client.get(reverse("evidence:preview", args=[case.reference, item.number, 2]))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert preview["Content-Security-Policy"].startswith("sandbox")
    assert Image.open(io.BytesIO(preview.content)).size[0] > 100
    missing = reverse("evidence:preview", args=[case.reference, item.number, 3])
    assert client.get(missing).status_code == 404

    # Bad lines and no reasons: said on the form, nothing made.
    bad = client.post(page_url, {"areas": "1 10 20\n3 0 0 10 10", "reasons": ""})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Line 1: give five numbers" in body and "Enter why these parts are withheld." in body
    beyond = client.post(page_url, {"areas": "3 0 0 10 10", "reasons": "Identity."})
    assert "Line 1: there is no page 3; the file has 2 pages." in beyond.content.decode()
    assert not Redaction.objects.exists()

    done = client.post(page_url, {"areas": "1 5 8 90 10", "reasons": "Identity protected."})
    assert done.status_code == 302
    redaction = current(item)
    assert redaction.areas == [{"page": 1, "left": 0.05, "top": 0.08, "width": 0.9, "height": 0.1}]
    shown = client.get(done["Location"]).content.decode()
    assert "Identity protected." in shown and redaction.sha256 in shown
    assert "Redacted copy made for disclosure" in shown and "Chain of custody" in shown
    download = client.get(
        reverse("evidence:redacted", args=[case.reference, item.number, redaction.pk])
    )
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert hashlib.sha256(download.content).hexdigest() == redaction.sha256
    assert "attachment" in download["Content-Disposition"]


def test_staff_off_the_case_team_cannot_redact_or_preview(case, case_officer) -> None:
    from fairhearing.conftest import make_user

    item = add(case, case_officer, "shot.png", secret_png())
    outsider = make_user(case.organisation, "outsider", "investigator")
    client = signed_in(outsider)
    for url in (
        reverse("evidence:redact", args=[case.reference, item.number]),
        reverse("evidence:preview", args=[case.reference, item.number, 1]),
    ):
        assert client.get(url).status_code in (403, 404)
    assert not Redaction.objects.exists()


def test_the_list_names_the_pictures_to_check_when_a_complainant_is_protected(
    case, case_officer
) -> None:
    from fairhearing.cases.models import Party
    from fairhearing.cases.services import party_protect_identity

    shot = add(case, case_officer, "shot.png", secret_png(), "The group chat")
    add(case, case_officer, "notes.txt", b"Words only", "Branch notes")
    client = signed_in(case_officer)
    url = reverse("evidence:list", args=[case.reference])
    assert 'id="disclosure-check"' not in client.get(url).content.decode()  # nobody protected
    complainant = case.parties.get(role=Party.Role.COMPLAINANT)
    party_protect_identity(actor=case_officer, party=complainant, reason="Fears reprisal.")
    page = client.get(url).content.decode()
    assert 'id="disclosure-check"' in page
    assert reverse("evidence:redact", args=[case.reference, shot.number]) in page
    assert "Item 2: Branch notes" not in page  # text: the name is taken out by itself
    services.evidence_redact(
        actor=case_officer, item=shot, areas=[IMAGE_BOX], phrases=[], reasons="Identity."
    )
    page = client.get(url).content.decode()
    assert 'id="disclosure-check"' not in page and "Redacted copy for the respondent" in page
