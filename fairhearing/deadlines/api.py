import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from fairhearing.api.core import ERRORS, ReasonIn, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for

from .models import Deadline
from .services import deadline_pause, deadline_resume

router = Router(tags=["deadlines"])


class DeadlineOut(Schema):
    id: int
    kind: str
    status: str
    due_at: dt.datetime


def _deadline(request: Any, reference: str, deadline_id: int) -> Deadline:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    return get_object_or_404(Deadline, pk=deadline_id, case=case)


@router.post(
    "/cases/{reference}/deadlines/{deadline_id}/pause",
    response={201: DeadlineOut, **ERRORS},
    operation_id="deadlines_pause",
)
@idempotent
def deadlines_pause(
    request: Any, reference: str, deadline_id: int, payload: ReasonIn
) -> Status[Any]:
    deadline = deadline_pause(
        actor=request.user,
        deadline=_deadline(request, reference, deadline_id),
        reasons=payload.reasons,
    )
    return Status(201, DeadlineOut.from_orm(deadline))


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
