"""What a file is, from its bytes; whether we accept it; what we call it.

The name a file arrives with is only a label: the type comes from the content (magic numbers),
a name that says otherwise is refused, and anything that a browser could run (HTML, SVG, XML,
script, or a PDF with actions) is refused outright, including polyglots that start as an image.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

# content type -> (description, extensions a name may carry)
ACCEPTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "application/pdf": (gettext_noop("a PDF document"), (".pdf",)),
    "image/png": (gettext_noop("a PNG image"), (".png",)),
    "image/jpeg": (gettext_noop("a JPEG image"), (".jpg", ".jpeg", ".jfif")),
    "image/gif": (gettext_noop("a GIF image"), (".gif",)),
    "image/webp": (gettext_noop("a WebP image"), (".webp",)),
    "text/plain": (gettext_noop("plain text"), (".txt", ".text", ".log", ".csv", ".md")),
}
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})

# Bytes that make a file active content in some browser or viewer, anywhere in the file.
ACTIVE_MARKERS = (
    b"<script",
    b"<html",
    b"<svg",
    b"<!doctype",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<?xml",
    b"javascript:",
    b"onload=",
    b"onerror=",
)
# PDF features that run code or open other things.
PDF_ACTIVE = (b"/javascript", b"/js", b"/launch", b"/embeddedfile", b"/richmedia", b"/xfa")

# Said to whoever sent the file, in the language of their request (gettext when raised).
EMPTY = gettext_noop("The file is empty.")
TOO_LARGE = gettext_noop("The file is larger than {limit} MB.")
UNKNOWN_TYPE = gettext_noop(
    "We cannot accept this kind of file. Send a PDF, a PNG, JPEG, GIF or WebP image, or plain text."
)
ACTIVE = gettext_noop(
    "The file contains web page or script content ({marker}), which we do not accept."
)
PDF_WITH_ACTIONS = gettext_noop(
    "The PDF contains scripts or embedded actions, which we do not accept."
)
MISLABELLED = gettext_noop("The file is named {ext} but its content is {actual}.")


class FileRefused(ValueError):
    """Why a file is refused, in the request's language; `code` says which reason it is."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Checked:
    content_type: str
    name: str


def sniff(data: bytes) -> str | None:
    """The accepted content type these bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\x00" in text or any(
        unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text[:4096]
    ):
        return None
    return "text/plain"


def safe_name(name: str) -> str:
    """A display name: the last path component, printable, at most 100 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable())
    base = base.strip().lstrip(".")
    return base[-100:] or "file"


def check(name: str, data: bytes, *, max_bytes: int) -> Checked:
    """Accept the file or raise FileRefused with the reason a person can act on."""
    if not data:
        raise FileRefused(gettext(EMPTY), code="empty")
    if len(data) > max_bytes:
        limit = max_bytes // (1024 * 1024)
        raise FileRefused(gettext(TOO_LARGE).format(limit=limit), code="too_large")
    content_type = sniff(data)
    if content_type is None:
        raise FileRefused(gettext(UNKNOWN_TYPE), code="unknown_type")
    lowered = data.lower()
    for marker in ACTIVE_MARKERS:
        if marker in lowered:
            raise FileRefused(gettext(ACTIVE).format(marker=marker.decode()), code="active")
    if content_type == "application/pdf" and any(
        re.search(re.escape(m) + rb"\b", lowered) for m in PDF_ACTIVE
    ):
        raise FileRefused(gettext(PDF_WITH_ACTIONS), code="pdf_actions")
    display = safe_name(name)
    ext = ("." + display.rsplit(".", 1)[1].lower()) if "." in display else ""
    description, extensions = ACCEPTED[content_type]
    if ext and ext not in extensions:
        actual = gettext(description)
        raise FileRefused(gettext(MISLABELLED).format(ext=ext, actual=actual), code="mislabelled")
    return Checked(content_type=content_type, name=display)


def extension_for(content_type: str) -> str:
    return ACCEPTED[content_type][1][0]
