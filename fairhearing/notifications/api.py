"""Letters for post, through their case: the same access and services as the pages."""

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status

from fairhearing.api.core import ERRORS, OkOut, StrictSchema, binary, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for

from . import services
from .models import Notification
from .views import letter_of_case, letter_pdf_response

router = Router(tags=["letters"])


class LetterOut(Schema):
    id: int
    kind: str
    to_name: str
    role: str
    status: str
    created_at: dt.datetime
    posted_on: dt.date | None
    served_on: dt.date | None


class PostedIn(StrictSchema):
    posted_on: dt.date


@router.get(
    "/cases/{reference}/letters",
    response={200: list[LetterOut], **ERRORS},
    operation_id="letters_list",
)
def letters_list(request: Any, reference: str) -> list[Notification]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    return list(
        case.notifications.filter(channel=Notification.Channel.POST).order_by("-created_at")
    )


@router.get(
    "/cases/{reference}/letters/{letter_id}/pdf",
    response=ERRORS,
    operation_id="letters_pdf",
    openapi_extra=binary("application/pdf", "The letter, to print and post."),
)
def letters_pdf(request: Any, reference: str, letter_id: int) -> HttpResponse:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    return letter_pdf_response(letter_of_case(case, letter_id))


@router.post(
    "/cases/{reference}/letters/{letter_id}/posted",
    response={201: OkOut, **ERRORS},
    operation_id="letters_record_posted",
)
@idempotent
def letters_record_posted(
    request: Any, reference: str, letter_id: int, payload: PostedIn
) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    letter = services.letter_record_posted(
        actor=request.user, letter=letter_of_case(case, letter_id), posted_on=payload.posted_on
    )
    return Status(201, {"ok": True, "id": letter.pk})
