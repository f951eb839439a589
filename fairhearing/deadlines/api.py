import datetime as dt
from typing import Any, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from fairhearing.api.core import ERRORS, ReasonIn, StrictSchema, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.core.limits import REASONS_MAX

from .access import clock_stop_for
from .clock_stops import clock_stop_approve, clock_stop_decline, deadline_pause
from .models import ClockStop, Deadline
from .services import deadline_resume

router = Router(tags=["deadlines"])


class DeadlineOut(Schema):
    id: int
    kind: str
    status: str
    due_at: dt.datetime


class ClockStopIn(StrictSchema):
    """Why the clock stops, and the date it restarts by itself (R-56)."""

    reasons: str = Field(max_length=REASONS_MAX)
    restart_on: dt.date


class ClockStopDecisionIn(StrictSchema):
    decision: Literal["approve", "decline"]
    reasons: str = Field(max_length=REASONS_MAX)


class ClockStopOut(Schema):
    """A clock stop: `requested` awaits a second person's approval (the clock runs on);
    `stopped` has stopped the clock until `restart_on`."""

    id: int
    deadline: int = Field(alias="deadline_id")
    status: str
    restart_on: dt.date
    started_at: dt.datetime | None
    ended_at: dt.datetime | None


def _deadline(request: Any, reference: str, deadline_id: int) -> Deadline:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    return get_object_or_404(Deadline, pk=deadline_id, case=case)


@router.post(
    "/cases/{reference}/deadlines/{deadline_id}/pause",
    response={201: ClockStopOut, **ERRORS},
    operation_id="deadlines_pause",
)
@idempotent
def deadlines_pause(
    request: Any, reference: str, deadline_id: int, payload: ClockStopIn
) -> Status[Any]:
    """Stop a time limit's clock until `restart_on`: at once, or, where the rulebook asks for
    approval, once someone else approves it (the answer's status says which)."""
    stop = deadline_pause(
        actor=request.user,
        deadline=_deadline(request, reference, deadline_id),
        reasons=payload.reasons,
        restart_on=payload.restart_on,
    )
    return Status(201, ClockStopOut.from_orm(stop))


@router.post(
    "/cases/{reference}/clock-stops/{stop_id}/decision",
    response={201: ClockStopOut, **ERRORS},
    operation_id="deadlines_clock_stop_decide",
)
@idempotent
def deadlines_clock_stop_decide(
    request: Any, reference: str, stop_id: int, payload: ClockStopDecisionIn
) -> Status[Any]:
    """Approve or decline a request to stop a clock: someone the rulebook names, never
    whoever asked."""
    require_scope(request, Scope.CASES_WRITE)
    stop: ClockStop = clock_stop_for(request.user, reference, stop_id, request=request)
    service = clock_stop_approve if payload.decision == "approve" else clock_stop_decline
    stop = service(actor=request.user, stop=stop, reasons=payload.reasons)
    return Status(201, ClockStopOut.from_orm(stop))


@router.post(
    "/cases/{reference}/deadlines/{deadline_id}/resume",
    response={201: DeadlineOut, **ERRORS},
    operation_id="deadlines_resume",
)
@idempotent
def deadlines_resume(
    request: Any, reference: str, deadline_id: int, payload: ReasonIn
) -> Status[Any]:
    deadline = deadline_resume(
        actor=request.user,
        deadline=_deadline(request, reference, deadline_id),
        reasons=payload.reasons,
    )
    return Status(201, DeadlineOut.from_orm(deadline))
