"""Legal holds and subject access requests on the API: the same access and services as the
pages."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from fairhearing.api.core import (
    ERRORS,
    ReasonIn,
    StrictSchema,
    cursor_page,
    idempotent,
    refuse_unknown_query,
    require_scope,
)
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.core.limits import REASONS_MAX
from fairhearing.intake.services import received_at_for

from . import access, queries, services
from .forms import SubjectAccessForm
from .models import LegalHold
from .subject_access import export_download

router = Router(tags=["data protection"])


class HoldOut(Schema):
    id: int
    reasons: str
    placed_at: dt.datetime
    review_on: dt.date
    reviewed_at: dt.datetime | None
    lifted_at: dt.datetime | None
    lift_reasons: str


class HoldIn(StrictSchema):
    reasons: str = Field(max_length=REASONS_MAX)
    review_on: dt.date


class SarIn(StrictSchema):
    membership_number: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    full_name: str = Field("", max_length=200)
    received_on: dt.date


class SarOut(Schema):
    id: int
    person_id: int
    received_at: dt.datetime
    due_at: dt.datetime
    status: str
    exported_at: dt.datetime | None
    completed_at: dt.datetime | None
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.is_overdue)


def _hold_case(request: Any, reference: str, scope: str) -> Any:
    require_scope(request, scope)
    return case_for(request.user, reference, action="act", request=request)


def _active(case: Any) -> Any:
    hold = queries.active_hold(case)
    if hold is None:
        raise services.DataProtectionError("The case is not on legal hold.")
    return hold


@router.get(
    "/cases/{reference}/legal-holds",
    response={200: list[HoldOut], **ERRORS},
    operation_id="retention_holds",
)
def retention_holds(request: Any, reference: str) -> Any:
    return list(LegalHold.objects.filter(case=_hold_case(request, reference, Scope.CASES_READ)))


@router.post(
    "/cases/{reference}/legal-holds",
    response={201: HoldOut, **ERRORS},
    operation_id="retention_hold_place",
)
@idempotent
def retention_hold_place(request: Any, reference: str, payload: HoldIn) -> Status[Any]:
    case = _hold_case(request, reference, Scope.CASES_WRITE)
    hold = services.legal_hold_place(
        actor=request.user, case=case, reasons=payload.reasons, review_on=payload.review_on
    )
    return Status(201, hold)


@router.post(
    "/cases/{reference}/legal-holds/review",
    response={201: HoldOut, **ERRORS},
    operation_id="retention_hold_review",
)
@idempotent
def retention_hold_review(request: Any, reference: str, payload: HoldIn) -> Status[Any]:
    case = _hold_case(request, reference, Scope.CASES_WRITE)
    hold = services.legal_hold_review(
        actor=request.user, hold=_active(case), reasons=payload.reasons, review_on=payload.review_on
    )
    return Status(201, hold)


@router.post(
    "/cases/{reference}/legal-holds/lift",
    response={201: HoldOut, **ERRORS},
    operation_id="retention_hold_lift",
)
@idempotent
def retention_hold_lift(request: Any, reference: str, payload: ReasonIn) -> Status[Any]:
    case = _hold_case(request, reference, Scope.CASES_WRITE)
    hold = services.legal_hold_lift(actor=request.user, hold=_active(case), reasons=payload.reasons)
    return Status(201, hold)


class SarPage(Schema):
    items: list[SarOut]
    next_cursor: str | None


class SarFilters(StrictSchema):
    cursor: str | None = None
    limit: int = Field(25, ge=1, le=100)


@router.get(
    "/subject-access", response={200: SarPage, **ERRORS}, operation_id="subject_access_list"
)
def subject_access_list(request: Any, filters: Query[SarFilters]) -> Any:
    """Requests, most recently received first, cursor-paginated."""
    require_scope(request, Scope.CASES_READ)
    refuse_unknown_query(request, set(SarFilters.model_fields))
    user = access.sar_user(request.user)
    items, next_cursor = cursor_page(
        queries.subject_access_requests(user.organisation_id),
        cursor=filters.cursor,
        limit=filters.limit,
        order=("received_at", "pk"),
    )
    return {"items": items, "next_cursor": next_cursor}


@router.post(
    "/subject-access", response={201: SarOut, **ERRORS}, operation_id="subject_access_open"
)
@idempotent
def subject_access_open(request: Any, payload: SarIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    user = access.sar_user(request.user)
    form = SubjectAccessForm(payload.dict(), organisation_id=user.organisation_id)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data(), code="invalid")
    sar = services.subject_access_open(
        actor=user,
        person=form.cleaned_data["person"],
        received_at=received_at_for(form.cleaned_data["received_on"]),
    )
    return Status(201, sar)


@router.get(
    "/subject-access/{request_id}",
    response={200: SarOut, **ERRORS},
    operation_id="subject_access_detail",
)
def subject_access_detail(request: Any, request_id: int) -> Any:
    require_scope(request, Scope.CASES_READ)
    return access.sar_for(request.user, request_id)


def _export(request: Any, request_id: int, fmt: str) -> HttpResponse:
    require_scope(request, Scope.CASES_READ)
    sar = access.sar_for(request.user, request_id)
    data = services.subject_access_export(actor=request.user, request=sar, fmt=fmt)
    return export_download(sar, fmt, data)


@router.get(
    "/subject-access/{request_id}/export.json",
    response=ERRORS,
    operation_id="subject_access_export_json",
)
def subject_access_export_json(request: Any, request_id: int) -> HttpResponse:
    return _export(request, request_id, "json")


@router.get(
    "/subject-access/{request_id}/export.pdf",
    response=ERRORS,
    operation_id="subject_access_export_pdf",
)
def subject_access_export_pdf(request: Any, request_id: int) -> HttpResponse:
    return _export(request, request_id, "pdf")


@router.post(
    "/subject-access/{request_id}/complete",
    response={201: SarOut, **ERRORS},
    operation_id="subject_access_complete",
)
@idempotent
def subject_access_complete(request: Any, request_id: int) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    sar = services.subject_access_complete(
        actor=request.user, request=access.sar_for(request.user, request_id)
    )
    return Status(201, sar)
