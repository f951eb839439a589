"""The hearing bundle: one PDF with an index, every item and every hash.

For the panel it holds everything. For the respondent, a complainant whose identity protection
is recorded is named "Complainant (identity withheld)" and their name and email address are
redacted wherever they appear in captured or plain text. Images cannot be redacted
automatically: the case team checks screenshots before disclosure (said on the cover).
PDF evidence is appended after the bundle's own pages, in index order.
"""

import io
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

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

from .models import EvidenceItem, Kind
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


def bundle_pdf(
    case: Case, items: Iterable[EvidenceItem], *, audience: str, produced_by: str
) -> bytes:
    items = list(items)
    redact = redactor_for(case, audience)
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
                "Their name and email address are redacted in text; screenshots were checked "
                "by the case team.",
                styles["BodyText"],
            )
        )
    story += [Spacer(1, 8), Paragraph("Index", styles["Heading2"])]
    rows: list[list[Any]] = [["No.", "Item", "Added", "SHA-256"]]
    for item in items:
        label = item.description or item.original_name or item.url or item.get_kind_display()
        rows.append(
            [
                str(item.number),
                Paragraph(escape(redact.text(label))[:300], small),
                Paragraph(_when(item.added_at), small),
                Paragraph(item.sha256, mono),
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
    appended: list[EvidenceItem] = []
    for item in items:
        story += [PageBreak(), Paragraph(f"Item {item.number}", styles["Heading2"])]
        facts = [
            ("Kind", item.get_kind_display()),
            ("Added", f"{_when(item.added_at)} by {_added_by(item, redact)}"),
            ("SHA-256", item.sha256),
        ]
        if item.description:
            facts.append(("Description", redact.text(item.description)))
        if item.kind == Kind.POST:
            facts += [
                ("Web address", item.url or "not given"),
                ("Platform", item.get_platform_display()),
                ("Author", f"@{item.author_handle}" if item.author_handle else "not given"),
                ("Posted", _when(item.posted_at)),
                ("Captured", _when(item.captured_at)),
            ]
        elif item.original_name:
            facts.append(("File name", redact.text(item.original_name)))
        if item.blob_id and item.kind == Kind.POST:
            facts.append(("Screenshot SHA-256", item.blob_id))
        for label, value in facts:
            story.append(
                Paragraph(f"<b>{escape(label)}:</b> {escape(str(value))}", styles["BodyText"])
            )
        if item.captured_text:
            story += [
                Paragraph("Captured text", styles["Heading4"]),
                Preformatted(redact.text(item.captured_text), mono, maxLineLength=95),
            ]
        if item.blob_id:
            data = blob_read(item.blob_id)
            content_type = item.blob.content_type if item.blob else ""
            if content_type in IMAGE_TYPES:
                story.append(_image(data, width, 180 * mm))
            elif content_type == "text/plain":
                text = data.decode("utf-8-sig", errors="replace")
                story.append(Preformatted(redact.text(text), mono, maxLineLength=95))
            elif content_type == "application/pdf":
                appended.append(item)
                story.append(
                    Paragraph(
                        "This PDF's pages are appended after the last item, in index order.",
                        styles["BodyText"],
                    )
                )
    doc.build(story)
    if not appended:
        return buffer.getvalue()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(buffer.getvalue())))
    for item in appended:
        assert item.blob_id is not None
        writer.append(PdfReader(io.BytesIO(blob_read(item.blob_id))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
