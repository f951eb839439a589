import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from fairhearing.accounts.models import Role
from fairhearing.api.core import ERRORS, ApiError, OkOut, StrictSchema, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.core.limits import NOTE_MAX, REASONS_MAX

from . import queries
from .models import Approach, Verification
from .services import approach_record, verification_verify, verification_veto
from .views import ONLY_OVERSIGHT

router = Router(tags=["oversight"])


class AttemptOut(Schema):
    at: dt.datetime
    user_id: int | None
    role: str
    reference: str
    action: str
    path: str
    ip_address: str | None


class ApproachOut(Schema):
    id: int
    case_reference: str
    approached_on: dt.date
    approached_by: str
    channel: str
    asked: str
    answered: str


class RegisterOut(Schema):
    attempts: list[AttemptOut]
    approaches: list[ApproachOut]


@router.get(
    "/oversight/register", response={200: RegisterOut, **ERRORS}, operation_id="oversight_register"
)
def oversight_register(request: Any) -> dict[str, Any]:
    require_scope(request, Scope.CASES_READ)
    if request.user.role != Role.OVERSIGHT:
        raise ApiError(403, "forbidden", ONLY_OVERSIGHT)
    organisation_id = request.user.organisation_id
    return {
        "attempts": list(queries.register_attempts(organisation_id)[:200]),
        "approaches": [
            {
                **{
                    f: getattr(a, f)
                    for f in (
                        "id",
                        "approached_on",
                        "approached_by",
                        "channel",
                        "asked",
                        "answered",
                    )
                },
                "case_reference": a.case.reference,
            }
            for a in queries.register_approaches(organisation_id)[:200]
        ],
    }


class ApproachIn(StrictSchema):
    approached_on: dt.date
    approached_by: str = Field(max_length=200)
    channel: Literal[tuple(Approach.Channel.values)]  # type: ignore[valid-type]
    asked: str = Field(max_length=NOTE_MAX)
    answered: str = Field(max_length=NOTE_MAX)


@router.post(
    "/cases/{reference}/approaches",
    response={201: OkOut, **ERRORS},
    operation_id="oversight_approach",
)
@idempotent
def oversight_approach(request: Any, reference: str, payload: ApproachIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    approach = approach_record(actor=request.user, case=case, **payload.dict())
    return Status(201, {"ok": True, "id": approach.pk})


class VerificationIn(StrictSchema):
    decision: Literal["verify", "veto"]
    reasons: str = Field(max_length=REASONS_MAX)


@router.post(
    "/cases/{reference}/verification",
    response={201: OkOut, **ERRORS},
    operation_id="oversight_verification",
)
@idempotent
def oversight_verification(request: Any, reference: str, payload: VerificationIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="view", request=request)
    verification = Verification.objects.filter(
        case=case, status=Verification.Status.PENDING
    ).first()
    if verification is None:
        raise ApiError(409, "refused", "No decision on this case awaits verification.")
    service = verification_verify if payload.decision == "verify" else verification_veto
    service(actor=request.user, verification=verification, reasons=payload.reasons)
    return Status(201, {"ok": True, "id": verification.pk})
