"""Small real files for tests: images made with Pillow, PDFs with reportlab."""

import io

from PIL import Image
from reportlab.pdfgen import canvas


def png(colour: str = "red", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def jpeg(colour: str = "blue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), colour).save(out, format="JPEG")
    return out.getvalue()


def pdf(text: str = "Minutes of the branch meeting") -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()
