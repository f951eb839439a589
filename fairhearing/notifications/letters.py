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

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext


def _day(value: Any) -> str:
    return date_format(value, "j F Y")


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
    language: str  # the party's: the letter's own words (heading, notes) are in it


def _contact(letter: LetterText) -> str:
    words = {"organisation": escape(letter.organisation), "reference": letter.reference}
    if letter.contact:
        lines = "<br/>".join(escape(x) for x in letter.contact.splitlines())
        write = gettext("Write to %(organisation)s, case team, quoting case %(reference)s:")
        return write % words + "<br/>" + lines
    return (
        gettext(
            "Write to %(organisation)s, case team, quoting case %(reference)s, or send a "
            "message to the case team when you have signed in."
        )
        % words
    )


def letter_render(letter: LetterText) -> bytes:
    """The PDF, its fixed words and dates in the party's language (`LetterText.language`)."""
    with translation.override(letter.language):
        return _render(letter)


def _render(letter: LetterText) -> bytes:
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
        Paragraph(gettext("Case %(reference)s") % {"reference": escape(letter.reference)}, small),
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
        served = gettext(
            "We treat this letter as received on %(served)s, the working day our rules set "
            "after it was posted on %(posted)s. Any time you have to act runs from then."
        ) % {"served": _day(letter.served_on), "posted": _day(letter.posted_on)}
        story.append(Paragraph(served, body))
    sign_in = (
        gettext(
            "Type this address into a web browser to sign in to your case: it works once, "
            "until %(day)s."
        )
        % {"day": _day(letter.link_expires)}
        if letter.link_expires
        else gettext("Type this address into a web browser to sign in to your case:")
    )
    story += [
        Paragraph(gettext("Following your case online"), styles["Heading3"]),
        Paragraph(sign_in, body),
        Paragraph(f"<font face='Courier' size='10'>{escape(letter.sign_in_url)}</font>", body),
        Paragraph(gettext("Contacting the case team"), styles["Heading3"]),
        Paragraph(_contact(letter), body),
    ]
    doc.build(story)
    return buffer.getvalue()
