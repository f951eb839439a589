"""Redacted copies of evidence, made from the original and never in place of it (issue 24).

An area withheld is burned in: the copy is made from pixels, with black boxes painted over
them, so nothing under a box can be recovered. An image is decoded, turned as a browser shows
it (EXIF orientation), painted and written as a new PNG with no metadata. A PDF is rendered
page by page (PDFium, through pypdfium2), painted, and written as a new PDF of those images:
it keeps no text layer, no fonts, no annotations, no attachments and none of the original's
metadata, on any page (each page a JPEG of its pixels, the boxes black before encoding; a
page without a box is rendered too, so that no hidden text survives anywhere). Text (a text
file, a capture's text) has each phrase withheld replaced, wherever it appears in any case,
by one fixed marker, so its length says nothing either.

Areas are fractions of the page's width and height (0 to 1), so they hold at any resolution:
the marking page draws them on a preview and the copy paints them on the full render.
"""

import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps

from .sniff import IMAGE_TYPES

WITHHELD_TEXT = "[withheld]"
# PDF pages are rendered at this resolution for the copy, and at PREVIEW_DPI for marking.
COPY_DPI = 150
PREVIEW_DPI = 96
JPEG_QUALITY = 85
PREVIEW_MAX_PX = 1600
MAX_PDF_PAGES = 100
# An image larger than this (in pixels) is refused rather than decoded (Pillow's own guard is
# a warning up to twice its limit).
MAX_PIXELS = 60_000_000


class CannotRedact(ValueError):
    """The file cannot be redacted here, with the reason a person can act on."""


@dataclass(frozen=True)
class Area:
    """A box to withhold on a page (1 for an image): fractions of the page's size."""

    page: int
    left: float
    top: float
    width: float
    height: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "page": self.page,
            "left": self.left,
            "top": self.top,
            "width": self.width,
            "height": self.height,
        }

    @classmethod
    def of(cls, value: dict[str, float | int]) -> "Area":
        return cls(
            page=int(value["page"]),
            left=float(value["left"]),
            top=float(value["top"]),
            width=float(value["width"]),
            height=float(value["height"]),
        )

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The box on an image of this size, rounded outwards: it never covers less."""
        left = max(0, math.floor(self.left * width))
        top = max(0, math.floor(self.top * height))
        right = min(width, math.ceil((self.left + self.width) * width))
        bottom = min(height, math.ceil((self.top + self.height) * height))
        return left, top, right, bottom


def is_pdf(content_type: str) -> bool:
    return content_type == "application/pdf"


def is_image(content_type: str) -> bool:
    return content_type in IMAGE_TYPES


def is_text(content_type: str) -> bool:
    return content_type == "text/plain"


def _open_image(data: bytes) -> Image.Image:
    try:
        opened = Image.open(io.BytesIO(data))
        if opened.width * opened.height > MAX_PIXELS:
            raise CannotRedact("This image is too large to redact here.")
        # The first frame only (an animated GIF), turned as a browser shows it.
        opened.seek(0)
        return ImageOps.exif_transpose(opened).convert("RGB")
    except CannotRedact:
        raise
    except Exception as error:  # Pillow's many decoding errors: one reason for people
        raise CannotRedact("This image cannot be read, so it cannot be redacted.") from error


def _pdf_pages(data: bytes, dpi: int) -> Iterable[Image.Image]:
    import pypdfium2  # loaded only to redact or preview a PDF

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise CannotRedact("This PDF cannot be read, so it cannot be redacted.") from error
    try:
        if len(document) > MAX_PDF_PAGES:
            raise CannotRedact(
                f"This PDF has {len(document)} pages: up to {MAX_PDF_PAGES} can be redacted here."
            )
        for index in range(len(document)):
            page = document[index]
            yield page.render(scale=dpi / 72, may_draw_forms=True).to_pil().convert("RGB")
            page.close()
    finally:
        document.close()


def page_count(data: bytes, content_type: str) -> int:
    if not is_pdf(content_type):
        return 1
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise CannotRedact("This PDF cannot be read, so it cannot be redacted.") from error
    try:
        return len(document)
    finally:
        document.close()


def _clean(image: Image.Image) -> Image.Image:
    """The pixels alone: a new image with none of the original's metadata or profile."""
    return Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())


def _paint(image: Image.Image, areas: Iterable[Area]) -> Image.Image:
    image = _clean(image)
    draw = ImageDraw.Draw(image)
    for area in areas:
        left, top, right, bottom = area.pixels(image.width, image.height)
        if right > left and bottom > top:
            draw.rectangle((left, top, right - 1, bottom - 1), fill=(0, 0, 0))
    return image


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def redact_image(data: bytes, areas: Sequence[Area]) -> bytes:
    """A PNG of the image as shown, every area painted black, no metadata."""
    return _png(_paint(_open_image(data), [a for a in areas if a.page == 1]))


def redact_pdf(data: bytes, areas: Sequence[Area]) -> bytes:
    """A PDF of images of every page, the areas painted black: no text, no metadata. Each page
    is rendered, painted and written as a one-page PDF of its pixels (Pillow: the image as a
    JPEG, nothing else on the page) in turn, its pixels then let go, so a long PDF never holds
    more than one page of pixels; pypdf puts the pages together."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for number, page in enumerate(_pdf_pages(data, COPY_DPI), start=1):
        one = io.BytesIO()
        _paint(page, [a for a in areas if a.page == number]).save(
            one, format="PDF", resolution=COPY_DPI, quality=JPEG_QUALITY
        )
        writer.append(PdfReader(one))
    if not writer.pages:
        raise CannotRedact("This PDF has no pages.")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def redact_text(text: str, phrases: Sequence[str]) -> str:
    """The text with every phrase replaced, in any case, longest first."""
    for phrase in sorted({p for p in phrases if p.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(phrase), WITHHELD_TEXT, text, flags=re.IGNORECASE)
    return text


def preview_png(data: bytes, content_type: str, page: int) -> bytes:
    """A page of the original as a PNG for marking (staff only): re-encoded from pixels, so
    what the browser shows is an image we made, whatever the file held."""
    if is_pdf(content_type):
        pages = _pdf_pages(data, PREVIEW_DPI)
        image = next((im for n, im in enumerate(pages, start=1) if n == page), None)
        if image is None:
            raise CannotRedact("This PDF has no such page.")
    elif is_image(content_type) and page == 1:
        image = _open_image(data)
    else:
        raise CannotRedact("There is no picture of this item to mark.")
    if max(image.size) > PREVIEW_MAX_PX:
        image.thumbnail((PREVIEW_MAX_PX, PREVIEW_MAX_PX))
    return _png(_clean(image))
