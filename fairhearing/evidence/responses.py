"""How evidence leaves the server: always as a download, never as a page.

Every response is an attachment with the sniffed type, `nosniff`, and a sandboxing CSP, so
even a file that slipped past the checks could not run in the site's origin.
"""

from django.http import HttpResponse

from fairhearing.cases.models import Case

from .sniff import extension_for

SANDBOX = "sandbox; default-src 'none'"


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = "private, no-store"
    return response


def attachment(data: bytes, *, content_type: str, case: Case, number: int) -> HttpResponse:
    # The name is ours, never the uploader's: it cannot carry a path or a header injection.
    filename = f"evidence-{case.reference}-{number}{extension_for(content_type)}"
    return _download(data, content_type, filename)


def pdf_attachment(pdf: bytes, filename: str) -> HttpResponse:
    return _download(pdf, "application/pdf", filename)


def file_attachment(data: bytes, *, content_type: str, stem: str) -> HttpResponse:
    """Any other stored file (a sanction's proof of compliance), named `stem` and the
    extension of its sniffed type."""
    return _download(data, content_type, f"{stem}{extension_for(content_type)}")


def capture_attachment(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A capture's HTML or WARC: a download like any other (the HTML never renders here)."""
    return _download(data, content_type, filename)


def inline_image(png: bytes) -> HttpResponse:
    """A PNG we rendered ourselves (`derivative.preview_png`) for an <img> on a staff page:
    shown, not downloaded, still sandboxed and never cached."""
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = "private, no-store"
    return response
