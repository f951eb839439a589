"""A letter for post, as a printable A4 PDF (reportlab, as the hearing bundle is made).

Made from `LetterText`, which holds every value in words: the same text as the email
a party with an address would have had, the dates counted from the date of service, the
one-time sign-in link and how to reach the case team. `invariant` keeps the bytes the same
for the same letter (no creation time or random id in the file).
"""

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape


def _day(value: Any) -> str:
    return f"{value:%-d %B %Y}"


@dataclass(frozen=True)
class LetterText:
    """A letter as it is printed: every value in words, no internal key."""

    organisation: str
    reference: str
    name: str
    address: list[str]
    dated: dt.date
    subject: str
    body: str
    posted_on: dt.date
    served_on: dt.date
    sign_in_url: str
    link_expires: dt.date | None
    contact: str
    served_note: bool


def _contact(letter: LetterText) -> str:
    write = f"Write to {escape(letter.organisation)}, case team, quoting case {letter.reference}"
    if letter.contact:
        return write + ":<br/>" + "<br/>".join(escape(x) for x in letter.contact.splitlines())
    return write + ", or send a message to the case team when you have signed in."


def letter_render(letter: LetterText) -> bytes:
    # reportlab is loaded only to make a letter: tens of megabytes a web worker need not
    # carry (core/tests/test_worker_imports.py).
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("letter", fontSize=11, leading=15, spaceAfter=6)
    small = styles["BodyText"].clone("small", fontSize=9, leading=12)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{letter.subject}",
        author=letter.organisation,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        invariant=True,
    )
    story: list[Any] = [
        Paragraph(escape(letter.organisation), styles["Heading2"]),
        Paragraph(f"Case {escape(letter.reference)}", small),
        Spacer(1, 10 * mm),
        # The window of a DL envelope shows the name and address.
        Paragraph("<br/>".join(escape(line) for line in [letter.name, *letter.address]), body),
        Spacer(1, 8 * mm),
        Paragraph(_day(letter.dated), body),
        Spacer(1, 4 * mm),
        Paragraph(f"<b>{escape(letter.subject)}</b>", body),
    ]
    for paragraph in letter.body.split("\n\n"):
        lines = [escape(line) for line in paragraph.splitlines() if line.strip()]
        if lines:
            story.append(Paragraph("<br/>".join(lines), body))
    if letter.served_note:
        story.append(
            Paragraph(
                f"We treat this letter as received on {_day(letter.served_on)}, the working "
                f"day our rules set after it was posted on {_day(letter.posted_on)}. Any time "
                "you have to act runs from then.",
                body,
            )
        )
    story += [
        Paragraph("Following your case online", styles["Heading3"]),
        Paragraph(
            "Type this address into a web browser to sign in to your case:"
            + (
                f" it works once, until {_day(letter.link_expires)}." if letter.link_expires else ""
            ),
            body,
        ),
        Paragraph(f"<font face='Courier' size='10'>{escape(letter.sign_in_url)}</font>", body),
        Paragraph("Contacting the case team", styles["Heading3"]),
        Paragraph(_contact(letter), body),
    ]
    doc.build(story)
    return buffer.getvalue()
