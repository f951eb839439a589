"""Redacted copies of evidence (evidence/derivative.py): how long a burned-in copy takes.

    .venv/bin/python benchmarks/redaction.py --pages 20 --runs 5

Makes, in memory, a PDF of N A4 pages of text (reportlab) and a full-page screenshot the size
a capture from a link keeps (1280 x 6000 px), then times `redact_pdf` (every page rendered by
PDFium at 150 dpi, one box a page, written as a PDF of images) and `redact_image` (three
boxes) several times. Needs no database. Prints JSON with the medians, the copies' sizes and
the process's peak resident memory.
"""

import argparse
import io
import json
import os
import platform
import resource
import statistics
import sys
import time

import django


def _pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for number in range(pages):
        for line in range(45):
            page.drawString(60, 790 - 16 * line, f"Page {number + 1}, line {line + 1}: " + "x" * 60)
        page.showPage()
    page.save()
    return out.getvalue()


def _screenshot() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1280, 6000), "white")
    draw = ImageDraw.Draw(image)
    for y in range(0, 6000, 24):
        draw.text((40, y), "A fictional member's reply in a long thread " * 4, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    django.setup()
    from fairhearing.evidence.derivative import Area, redact_image, redact_pdf

    pdf, png = _pdf(args.pages), _screenshot()
    pdf_boxes = [Area(page=n, left=0.1, top=0.1, width=0.5, height=0.05) for n in range(1, 21)]
    image_boxes = [Area(page=1, left=0.05, top=t, width=0.4, height=0.01) for t in (0.1, 0.4, 0.8)]
    timings: dict[str, list[float]] = {"pdf": [], "image": []}
    sizes: dict[str, int] = {}
    for _ in range(args.runs):
        started = time.perf_counter()
        sizes["pdf_copy_bytes"] = len(redact_pdf(pdf, pdf_boxes))
        timings["pdf"].append(time.perf_counter() - started)
        started = time.perf_counter()
        sizes["image_copy_bytes"] = len(redact_image(png, image_boxes))
        timings["image"].append(time.perf_counter() - started)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump(
        {
            "pages": args.pages,
            "runs": args.runs,
            "pdf_bytes": len(pdf),
            "image_bytes": len(png),
            "pdf_median_s": round(statistics.median(timings["pdf"]), 3),
            "pdf_per_page_median_s": round(statistics.median(timings["pdf"]) / args.pages, 4),
            "image_median_s": round(statistics.median(timings["image"]), 3),
            **sizes,
            "peak_rss_mib": round(peak_kib / 1024, 1),
            "python": platform.python_version(),
        },
        sys.stdout,
        indent=2,
    )
    print()


if __name__ == "__main__":
    main()
