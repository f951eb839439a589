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

from . import services
from .forms import upload_of
from .models import EvidenceItem
from .queries import evidence_item, evidence_of
from .responses import attachment, pdf_attachment

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
