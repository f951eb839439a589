"""The hearing bundle: one PDF with an index, every item and every hash.

For the panel it holds everything. For the respondent, a complainant whose identity protection
is recorded is named "Complainant (identity withheld)" and their name and email address are
redacted wherever they appear in captured or plain text, and every item the case team
redacted (a recorded decision, `services.evidence_redact`) is there as its redacted copy: the
image, PDF and text with the areas and phrases withheld burned in. The panel's bundle holds the
originals. PDF evidence is appended after the bundle's own pages, in index order. Each item's
page ends with its chain of custody from the ledger (staff named for the panel, "Case team"
for the respondent).
"""

import io
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from django.contrib.auth import get_user_model
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    Preformatted,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from fairhearing.cases.models import Case
from fairhearing.people.models import Person

from .derivative import redact_text
from .models import EvidenceItem, Kind, Redaction
from .queries import (
    CustodyStep,
    allegations_evidenced,
    custody_of_items,
    redactions_of,
    web_capture_of,
)
from .redaction import PANEL, RESPONDENT, Redactor, redactor_for
from .sniff import IMAGE_TYPES
from .storage import blob_read


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%d %B %Y %H:%M") if value else "not known"


def _added_by(item: EvidenceItem, redact: Redactor) -> str:
    if item.added_by_person_id:
        return redact.person(item.added_by_person)
    if item.added_by_id:
        return "Case team"
    return item.get_source_display()


def _image(data: bytes, max_width: float, max_height: float) -> Image:
    image = Image(io.BytesIO(data))
    scale = min(1.0, max_width / image.imageWidth, max_height / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _allegations(case: Case, redact: Redactor, styles: Any) -> list[Any]:
    """What is alleged, each with what the acting account did and the items evidencing it."""
    story: list[Any] = [Spacer(1, 8), Paragraph("Allegations", styles["Heading2"])]
    for allegation, numbers in allegations_evidenced(case):
        line = f"<b>{escape(allegation.get_allegation_type_display())}</b>"
        if allegation.conduct_date:
            line += f", {allegation.conduct_date.strftime('%d %B %Y')}"
        story.append(Paragraph(line, styles["BodyText"]))
        if allegation.acting_account:
            act = f"the account @{allegation.acting_account} {allegation.act or 'did it'}"
            if allegation.url:
                act += f": {allegation.url}"
            story.append(Paragraph(f"Alleged: {escape(act)}", styles["BodyText"]))
        elif allegation.url:
            story.append(Paragraph(f"Link: {escape(allegation.url)}", styles["BodyText"]))
        story.append(Paragraph(escape(redact.text(allegation.description)), styles["BodyText"]))
        if numbers:
            listed = ", ".join(str(n) for n in numbers)
            items = "items" if len(numbers) > 1 else "item"
            story.append(Paragraph(f"Evidence of the post: {items} {listed}", styles["BodyText"]))
    return story


def bundle_pdf(
    case: Case, items: Iterable[EvidenceItem], *, audience: str, produced_by: str
) -> bytes:
    items = list(items)
    redact = redactor_for(case, audience)
    redacted: dict[int, Redaction] = redactions_of(items) if audience == RESPONDENT else {}
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    mono = styles["Code"].clone("mono", fontSize=8, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Hearing bundle, case {case.reference}",
        author="Fairhearing",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    width = A4[0] - 36 * mm
    story: list[Any] = [
        Paragraph(f"Hearing bundle: case {escape(case.reference)}", styles["Title"]),
        Paragraph(
            f"Prepared for the {'hearing panel' if audience == PANEL else 'respondent'} on "
            f"{_when(timezone.now())} by {escape(produced_by)}. {len(items)} items. Each item's "
            "SHA-256 is the one recorded on the ledger when it was added: anyone can check that "
            "nothing has changed since.",
            styles["BodyText"],
        ),
    ]
    if audience == RESPONDENT and redact.person_ids:
        story.append(
            Paragraph(
                "The identity of a complainant is withheld, with reasons recorded on the case. "
                "Their name and email address are redacted in text.",
                styles["BodyText"],
            )
        )
    if redacted:
        numbers = ", ".join(str(i.number) for i in items if i.pk in redacted)
        story.append(
            Paragraph(
                f"Parts of items {numbers} are withheld, each a decision recorded with its "
                "reasons: those items are here as redacted copies, with the copy's SHA-256 and "
                "the original's. The originals are unchanged.",
                styles["BodyText"],
            )
        )
    story += _allegations(case, redact, styles)
    story += [Spacer(1, 8), Paragraph("Index", styles["Heading2"])]
    rows: list[list[Any]] = [["No.", "Item", "Added", "SHA-256"]]
    for item in items:
        label = item.description or item.original_name or item.url or item.get_kind_display()
        copy = redacted.get(item.pk)
        if copy is not None:
            label = redact_text(label, copy.phrases) + " (redacted copy)"
        rows.append(
            [
                str(item.number),
                Paragraph(escape(redact.text(label))[:300], small),
                Paragraph(_when(item.added_at), small),
                Paragraph(copy.sha256 if copy else item.sha256, mono),
            ]
        )
    index = Table(rows, colWidths=[12 * mm, 70 * mm, 30 * mm, width - 112 * mm], repeatRows=1)
    index.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(index)
    appended: list[tuple[str, str]] = []
    custody = custody_of_items(case.pk, [i.pk for i in items])
    names = _names(custody)
    for item in items:
        copy = redacted.get(item.pk)
        phrases: list[str] = copy.phrases if copy else []
        story += [PageBreak(), Paragraph(f"Item {item.number}", styles["Heading2"])]
        facts = [
            ("Kind", item.get_kind_display()),
            ("Added", f"{_when(item.added_at)} by {_added_by(item, redact)}"),
            ("SHA-256", item.sha256),
        ]
        if copy is not None:
            facts += [
                ("Redacted copy", "parts of this item are withheld, with reasons recorded"),
                ("SHA-256 of the copy", copy.sha256),
            ]
        if item.description:
            facts.append(("Description", redact.text(redact_text(item.description, phrases))))
        if item.kind == Kind.POST:
            facts += [
                ("Web address", item.url or "not given"),
                ("Platform", item.get_platform_display()),
                ("Author", f"@{item.author_handle}" if item.author_handle else "not given"),
                ("Posted", _when(item.posted_at)),
                ("Captured", _when(item.captured_at)),
            ]
        elif item.original_name:
            facts.append(("File name", redact.text(redact_text(item.original_name, phrases))))
        if item.blob_id and item.kind == Kind.POST and copy is None:
            facts.append(("Screenshot SHA-256", item.blob_id))
        capture = web_capture_of(item)
        if capture is not None:
            facts += [
                ("Where the link led", capture.final_url),
                ("Response", f"HTTP {capture.http_status}"),
                ("Captured with", capture.software),
                ("HTML SHA-256", capture.html_blob_id),
                ("WARC SHA-256", capture.warc_blob_id),
            ]
            if capture.recapture_of is not None:
                facts.append(("Captures again", f"item {capture.recapture_of.number}"))
            facts += [("Left out", note) for note in capture.notes.splitlines()]
        for label, value in facts:
            story.append(
                Paragraph(f"<b>{escape(label)}:</b> {escape(str(value))}", styles["BodyText"])
            )
        captured = copy.captured_text if copy is not None else item.captured_text
        if captured:
            story += [
                Paragraph("Captured text", styles["Heading4"]),
                Preformatted(redact.text(captured), mono, maxLineLength=95),
            ]
        # The redacted copy's file where there is one (a text-only redaction of a post keeps
        # its screenshot: none of its areas were marked).
        blob = copy.blob if copy is not None and copy.blob is not None else item.blob
        if blob is not None:
            data = blob_read(blob.sha256)
            if blob.content_type in IMAGE_TYPES:
                story.append(_image(data, width, 180 * mm))
            elif blob.content_type == "text/plain":
                text = data.decode("utf-8-sig", errors="replace")
                story.append(Preformatted(redact.text(text), mono, maxLineLength=95))
            elif blob.content_type == "application/pdf":
                appended.append((blob.sha256, f"Item {item.number}"))
                story.append(
                    Paragraph(
                        "This PDF's pages are appended after the last item, in index order.",
                        styles["BodyText"],
                    )
                )
        story += _custody(custody.get(item.pk, []), names, redact, audience, styles, small)
    doc.build(story)
    if not appended:
        return buffer.getvalue()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(buffer.getvalue())))
    for sha256, _ in appended:
        writer.append(PdfReader(io.BytesIO(blob_read(sha256))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _names(custody: dict[int, list[CustodyStep]]) -> dict[int, str]:
    """Staff names for the custody lists (the panel's bundle names them)."""
    ids = {step.actor_id for steps in custody.values() for step in steps if step.actor_id}
    return {u.pk: u.display_name for u in get_user_model().objects.filter(pk__in=ids)}


def _custody(
    steps: list[CustodyStep],
    names: dict[int, str],
    redact: Redactor,
    audience: str,
    styles: Any,
    small: Any,
) -> list[Any]:
    """The item's chain of custody, as its page on the staff site shows it."""
    if not steps:
        return []
    people = {p.pk: p for p in Person.objects.filter(pk__in={s.person_id for s in steps})}
    rows: list[list[Any]] = [["When", "What", "By"]]
    for step in steps:
        if step.actor_id:
            who = names.get(step.actor_id, "Case team") if audience == PANEL else "Case team"
        elif step.person_id in people:
            who = redact.person(people[step.person_id])
        else:
            who = "Fairhearing"
        rows.append(
            [
                Paragraph(_when(step.at), small),
                Paragraph(escape(step.what), small),
                Paragraph(escape(who), small),
            ]
        )
    table = Table(rows, colWidths=[35 * mm, 90 * mm, 45 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, 0), 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [Spacer(1, 6), Paragraph("Chain of custody", styles["Heading4"]), table]
