import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from fairhearing.api.core import (
    ERRORS,
    ApiError,
    OkOut,
    ReasonIn,
    StrictSchema,
    idempotent,
    require_scope,
)
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.core.limits import REASONS_MAX

from . import services
from .access import seat_for
from .models import Seat

router = Router(tags=["panels"])


class SeatOut(Schema):
    id: int
    case_reference: str
    panel_kind: str
    is_chair: bool
    affirmed: bool


@router.get("/panels/seats", response={200: list[SeatOut], **ERRORS}, operation_id="panels_seats")
def panels_seats(request: Any) -> list[dict[str, Any]]:
    require_scope(request, Scope.CASES_READ)
    seats = Seat.objects.filter(
        user=request.user, left_at__isnull=True, panel__dissolved_at__isnull=True
    ).select_related("panel__case")
    return [
        {
            "id": s.pk,
            "case_reference": s.panel.case.reference,
            "panel_kind": s.panel.kind,
            "is_chair": s.is_chair,
            "affirmed": s.affirmed_at is not None,
        }
        for s in seats
    ]


@router.post(
    "/panels/seats/{seat_id}/affirmation",
    response={201: OkOut, **ERRORS},
    operation_id="panels_affirm",
)
@idempotent
def panels_affirm(request: Any, seat_id: int) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    seat = seat_for(request.user, seat_id, request=request)
    services.seat_affirm(actor=request.user, seat=seat)
    return Status(201, {"ok": True, "id": seat.pk})


class VoteIn(StrictSchema):
    transition: str = Field(max_length=60)
    reasons: str = Field(max_length=REASONS_MAX)
    sanction: str = Field("", max_length=60)
    sanction_ends_on: dt.date | None = None


@router.post(
    "/panels/seats/{seat_id}/vote", response={201: OkOut, **ERRORS}, operation_id="panels_vote"
)
@idempotent
def panels_vote(request: Any, seat_id: int, payload: VoteIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    seat = seat_for(request.user, seat_id, request=request)
    vote = services.panel_vote(actor=request.user, seat=seat, **payload.dict())
    return Status(201, {"ok": True, "id": vote.pk})


@router.post(
    "/cases/{reference}/panels/{kind}", response={201: OkOut, **ERRORS}, operation_id="panels_draw"
)
@idempotent
def panels_draw(request: Any, reference: str, kind: Literal["hearing", "appeal"]) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    panel, _ = services.panel_constitute(actor=request.user, case=case, kind=kind)
    return Status(201, {"ok": True, "id": panel.pk})


class SuspensionIn(StrictSchema):
    reasons: str = Field(max_length=REASONS_MAX)
    ends_on: dt.date


@router.post(
    "/cases/{reference}/interim-suspension",
    response={201: OkOut, **ERRORS},
    operation_id="panels_interim_suspension",
)
@idempotent
def panels_interim_suspension(request: Any, reference: str, payload: SuspensionIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="view", request=request)
    suspension = services.interim_suspension_impose(actor=request.user, case=case, **payload.dict())
    return Status(201, {"ok": True, "id": suspension.pk})


@router.post(
    "/cases/{reference}/interim-suspension/{action}",
    response={201: OkOut, **ERRORS},
    operation_id="panels_interim_suspension_decide",
)
@idempotent
def panels_interim_suspension_decide(
    request: Any, reference: str, action: Literal["review", "lift"], payload: ReasonIn
) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="view", request=request)
    service = {
        "review": services.interim_suspension_review,
        "lift": services.interim_suspension_lift,
    }.get(action)
    if service is None:
        raise ApiError(404, "not_found", "The action is review or lift.")
    suspension = service(actor=request.user, case=case, reasons=payload.reasons)
    return Status(201, {"ok": True, "id": suspension.pk})
