"""Evidence on the JSON API: the same access functions, services and download rules as the
pages. Files go up as multipart/form-data; downloads come back as attachments."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import WithJsonSchema

from fairhearing.api.core import (
    ERRORS,
    ApiError,
    StrictSchema,
    binary,
    idempotent,
    require_scope,
)
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for

from . import capture_queue, services
from .derivative import Area
from .forms import upload_of
from .models import CaptureRequest, EvidenceItem, Redaction
from .queries import (
    capture_comparison,
    capture_request_of,
    evidence_item,
    evidence_of,
    web_capture_of,
)
from .responses import attachment, capture_attachment, file_attachment, pdf_attachment

router = Router(tags=["evidence"])


class EvidenceOut(Schema):
    number: int
    kind: str
    description: str
    sha256: str
    source: str
    added_at: dt.datetime
    content_type: str | None
    size: int | None
    url: str
    platform: str
    author_handle: str
    posted_at: dt.datetime | None
    captured_text: str
    captured_at: dt.datetime | None


def item_out(item: EvidenceItem) -> dict[str, Any]:
    return {
        "number": item.number,
        "kind": item.kind,
        "description": item.description,
        "sha256": item.sha256,
        "source": item.source,
        "added_at": item.added_at,
        "content_type": item.blob.content_type if item.blob else None,
        "size": item.blob.size if item.blob else None,
        "url": item.url,
        "platform": item.platform,
        "author_handle": item.author_handle,
        "posted_at": item.posted_at,
        "captured_text": item.captured_text,
        "captured_at": item.captured_at,
    }


def _case(request: Any, reference: str, action: Literal["view", "act"]) -> Any:
    require_scope(request, Scope.CASES_READ if action == "view" else Scope.CASES_WRITE)
    return case_for(request.user, reference, action=action, request=request)


@router.get(
    "/cases/{reference}/evidence",
    response={200: list[EvidenceOut], **ERRORS},
    operation_id="evidence_list",
)
def evidence_list(request: Any, reference: str) -> list[dict[str, Any]]:
    return [item_out(i) for i in evidence_of(_case(request, reference, "view"))]


@router.post(
    "/cases/{reference}/evidence/files",
    response={201: EvidenceOut, **ERRORS},
    operation_id="evidence_add_file",
    # An empty file part never reaches the view (Django drops it): the schema says so.
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {"schema": {"properties": {"file": {"minLength": 1}}}}
            }
        }
    },
)
@idempotent
def evidence_add_file(
    request: Any,
    reference: str,
    file: File[UploadedFile],
    description: str = Form("", max_length=2000),
) -> Status[Any]:
    case = _case(request, reference, "act")
    upload = upload_of(file)
    assert upload is not None
    item = services.evidence_add_file(
        actor=request.user, case=case, upload=upload, description=description
    )
    return Status(201, item_out(item))


class PostIn(StrictSchema):
    url: str = Field("", pattern=r"^(https?://\S+)?$", max_length=500)
    author_handle: str = Field("", max_length=100)
    # Optional, but never "null": a multipart form cannot say null.
    posted_at: Annotated[
        dt.datetime | None, WithJsonSchema({"type": "string", "format": "date-time"})
    ] = None
    captured_text: str = Field("", max_length=20000)
    description: str = Field("", max_length=2000)


@router.post(
    "/cases/{reference}/evidence/posts",
    response={201: EvidenceOut, **ERRORS},
    operation_id="evidence_add_post",
)
@idempotent
def evidence_add_post(
    request: Any,
    reference: str,
    payload: Form[PostIn],
    screenshot: File[UploadedFile | None] = None,
) -> Status[Any]:
    case = _case(request, reference, "act")
    item = services.evidence_add_post(
        actor=request.user,
        case=case,
        url=payload.url,
        author_handle=payload.author_handle,
        posted_at=payload.posted_at,
        captured_text=payload.captured_text,
        screenshot=upload_of(screenshot),
        description=payload.description,
    )
    return Status(201, item_out(item))


@router.get(
    "/cases/{reference}/evidence/{number}/download",
    response=ERRORS,
    operation_id="evidence_download",
    openapi_extra=binary("application/octet-stream", "The item's bytes, as an attachment."),
)
def evidence_download(request: Any, reference: str, number: int) -> HttpResponse:
    case = _case(request, reference, "view")
    item = evidence_item(case, number)
    if item.blob is None:
        raise ApiError(404, "not_found", "This capture has no file.")
    data = services.evidence_open(actor=request.user, item=item)
    return attachment(data, content_type=item.blob.content_type, case=case, number=item.number)


@router.get(
    "/cases/{reference}/evidence/bundle/{audience}",
    response=ERRORS,
    operation_id="evidence_bundle",
    openapi_extra=binary("application/pdf", "The hearing bundle."),
)
def evidence_bundle(
    request: Any, reference: str, audience: Literal["panel", "respondent"]
) -> HttpResponse:
    case = _case(request, reference, "view" if audience == "panel" else "act")
    bundle = services.bundle_make(actor=request.user, case=case, audience=audience)
    return pdf_attachment(bundle.pdf, f"bundle-{case.reference}-{audience}.pdf")


class CaptureIn(StrictSchema):
    url: str = Field(pattern=r"^https?://\S+$", max_length=2000)
    description: str = Field("", max_length=2000)


class CaptureOut(Schema):
    id: int
    url: str
    state: Literal["queued", "captured", "failed"]
    attempts: int
    requested_at: dt.datetime
    finished_at: dt.datetime | None
    failure: str
    item: int | None
    recapture_of: int | None


def capture_out(asked: CaptureRequest) -> dict[str, Any]:
    return {
        "id": asked.pk,
        "url": asked.url,
        "state": asked.state,
        "attempts": asked.attempts,
        "requested_at": asked.requested_at,
        "finished_at": asked.finished_at,
        "failure": asked.failure,
        "item": asked.item.number if asked.item else None,
        "recapture_of": asked.recapture_of.number if asked.recapture_of else None,
    }


class WebCaptureOut(Schema):
    requested_url: str
    final_url: str
    http_status: int
    title: str
    software: str
    screenshot_sha256: str | None
    html_sha256: str
    warc_sha256: str
    notes: list[str]
    recapture_of: int | None


class ComparisonOut(Schema):
    earlier: int
    later: int
    text_changed: bool
    html_changed: bool | None
    screenshot_changed: bool | None
    earlier_hashes: dict[str, str]
    later_hashes: dict[str, str]


class EvidenceDetailOut(EvidenceOut):
    capture: WebCaptureOut | None
    comparison: ComparisonOut | None


def _hashes(side: Any) -> dict[str, str]:
    return {
        "text": side.text_sha256,
        "screenshot": side.screenshot_sha256,
        "html": side.html_sha256,
        "warc": side.warc_sha256,
    }


@router.post(
    "/cases/{reference}/evidence/captures",
    response={202: CaptureOut, **ERRORS},
    operation_id="evidence_capture",
)
@idempotent
def evidence_capture(request: Any, reference: str, payload: CaptureIn) -> Status[Any]:
    case = _case(request, reference, "act")
    asked = capture_queue.capture_request(
        actor=request.user, case=case, url=payload.url, description=payload.description
    )
    return Status(202, capture_out(asked))


@router.get(
    "/cases/{reference}/evidence/captures/{request_id}",
    response={200: CaptureOut, **ERRORS},
    operation_id="evidence_capture_status",
)
def evidence_capture_status(request: Any, reference: str, request_id: int) -> dict[str, Any]:
    return capture_out(capture_request_of(_case(request, reference, "view"), request_id))


@router.post(
    "/cases/{reference}/evidence/captures/{request_id}/retry",
    response={202: CaptureOut, **ERRORS},
    operation_id="evidence_capture_retry",
)
def evidence_capture_retry(request: Any, reference: str, request_id: int) -> Status[Any]:
    asked = capture_request_of(_case(request, reference, "act"), request_id)
    return Status(202, capture_out(capture_queue.capture_retry(actor=request.user, request=asked)))


@router.get(
    "/cases/{reference}/evidence/{number}",
    response={200: EvidenceDetailOut, **ERRORS},
    operation_id="evidence_item",
)
def evidence_item_detail(request: Any, reference: str, number: int) -> dict[str, Any]:
    item = evidence_item(_case(request, reference, "view"), number)
    capture = web_capture_of(item)
    comparison = capture_comparison(item)
    return item_out(item) | {
        "capture": {
            "requested_url": capture.requested_url,
            "final_url": capture.final_url,
            "http_status": capture.http_status,
            "title": capture.title,
            "software": capture.software,
            "screenshot_sha256": item.blob_id,
            "html_sha256": capture.html_blob_id,
            "warc_sha256": capture.warc_blob_id,
            "notes": capture.notes.splitlines(),
            "recapture_of": capture.recapture_of.number if capture.recapture_of else None,
        }
        if capture
        else None,
        "comparison": {
            "earlier": comparison.earlier.number,
            "later": comparison.later.number,
            "text_changed": comparison.text_changed,
            "html_changed": comparison.html_changed,
            "screenshot_changed": comparison.screenshot_changed,
            "earlier_hashes": _hashes(comparison.earlier),
            "later_hashes": _hashes(comparison.later),
        }
        if comparison
        else None,
    }


@router.post(
    "/cases/{reference}/evidence/{number}/recapture",
    response={202: CaptureOut, **ERRORS},
    operation_id="evidence_recapture",
)
def evidence_recapture(request: Any, reference: str, number: int) -> Status[Any]:
    item = evidence_item(_case(request, reference, "act"), number)
    return Status(202, capture_out(capture_queue.evidence_recapture(actor=request.user, item=item)))


@router.get(
    "/cases/{reference}/evidence/{number}/capture/{part}",
    response=ERRORS,
    operation_id="evidence_capture_file",
    openapi_extra=binary("application/octet-stream", "The capture's HTML or WARC."),
)
def evidence_capture_file(
    request: Any, reference: str, number: int, part: Literal["html", "warc"]
) -> HttpResponse:
    case = _case(request, reference, "view")
    item = evidence_item(case, number)
    try:
        data, content_type = services.evidence_open_capture_file(
            actor=request.user, item=item, part=part
        )
    except services.EvidenceRefused as refused:
        raise ApiError(404, "not_found", str(refused)) from refused
    extension = ".html" if part == "html" else ".warc.gz"
    return capture_attachment(
        data, content_type=content_type, filename=f"evidence-{case.reference}-{number}{extension}"
    )


class AreaIn(StrictSchema):
    page: int = Field(ge=1, description="1 for an image; a PDF's page number")
    left: float = Field(ge=0, le=1, description="Fractions of the page's width and height")
    top: float = Field(ge=0, le=1)
    width: float = Field(gt=0, le=1)
    height: float = Field(gt=0, le=1)


class RedactIn(StrictSchema):
    areas: list[AreaIn] = Field(default_factory=list, max_length=500)
    phrases: list[Annotated[str, Field(max_length=500)]] = Field(
        default_factory=list, max_length=500
    )
    reasons: str = Field(min_length=1, max_length=5000)


class RedactionOut(Schema):
    id: int
    sha256: str
    original_sha256: str
    areas: list[dict[str, float]]
    phrases: list[str]
    reasons: str
    content_type: str | None
    captured_text: str
    decided_at: dt.datetime
    in_force: bool


def redaction_out(redaction: Redaction, *, in_force: bool) -> dict[str, Any]:
    return {
        "id": redaction.pk,
        "sha256": redaction.sha256,
        "original_sha256": redaction.item.sha256,
        "areas": redaction.areas,
        "phrases": redaction.phrases,
        "reasons": redaction.reasons,
        "content_type": redaction.blob.content_type if redaction.blob else None,
        "captured_text": redaction.captured_text,
        "decided_at": redaction.decided_at,
        "in_force": in_force,
    }


@router.get(
    "/cases/{reference}/evidence/{number}/redactions",
    response={200: list[RedactionOut], **ERRORS},
    operation_id="evidence_redactions",
)
def evidence_redactions(request: Any, reference: str, number: int) -> list[dict[str, Any]]:
    """The item's redacted copies, the one disclosed (`in_force`) first."""
    item = evidence_item(_case(request, reference, "view"), number)
    redactions = item.redactions.select_related("blob", "item")
    return [redaction_out(r, in_force=i == 0) for i, r in enumerate(redactions)]


@router.post(
    "/cases/{reference}/evidence/{number}/redactions",
    response={201: RedactionOut, **ERRORS},
    operation_id="evidence_redact",
)
@idempotent
def evidence_redact(request: Any, reference: str, number: int, payload: RedactIn) -> Status[Any]:
    """Make a redacted copy for disclosure: areas burned into the picture or PDF, phrases
    withheld from the text; the original is kept and the panel reads it."""
    item = evidence_item(_case(request, reference, "act"), number)
    redaction = services.evidence_redact(
        actor=request.user,
        item=item,
        areas=[Area(**area.model_dump()) for area in payload.areas],
        phrases=payload.phrases,
        reasons=payload.reasons,
    )
    return Status(201, redaction_out(redaction, in_force=True))


@router.get(
    "/cases/{reference}/evidence/{number}/redactions/{redaction_id}/file",
    response=ERRORS,
    operation_id="evidence_redacted_file",
    openapi_extra=binary("application/octet-stream", "The redacted copy's file."),
)
def evidence_redacted_file(
    request: Any, reference: str, number: int, redaction_id: int
) -> HttpResponse:
    case = _case(request, reference, "view")
    item = evidence_item(case, number)
    redaction = item.redactions.select_related("blob", "item").filter(pk=redaction_id).first()
    if redaction is None or redaction.blob is None:
        raise ApiError(404, "not_found", "This item has no such redacted copy with a file.")
    data = services.evidence_open_redacted(actor=request.user, redaction=redaction)
    return file_attachment(
        data,
        content_type=redaction.blob.content_type,
        stem=f"evidence-{case.reference}-{number}-redacted",
    )
