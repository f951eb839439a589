import datetime as dt
from typing import Any, Literal

from django.db.models import F
from ninja import Field, Query, Router, Schema, Status

from fairhearing.api.core import (
    ERRORS,
    ApiError,
    OkOut,
    StrictSchema,
    cursor_page,
    idempotent,
    refuse_unknown_query,
    require_scope,
)
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.core.limits import NOTE_MAX, REASONS_MAX
from fairhearing.workflow.services import verification_verify, verification_veto

from . import queries
from .access import register_reader
from .models import Approach, Verification
from .services import approach_record

router = Router(tags=["oversight"])


class RegisterEntryOut(Schema):
    kind: str
    id: int
    at: dt.datetime
    case_reference: str | None
    user_id: int | None = Field(description="the person the entry is about")
    role: str
    what: str = Field(description="what was tried, recorded or decided, in words")
    detail: dict[str, Any]


class PendingOut(Schema):
    case_reference: str
    decision: str
    held_since: dt.datetime


class RegisterOut(Schema):
    kind: str
    counts: dict[str, int]
    pending: list[PendingOut]
    items: list[RegisterEntryOut]
    next_cursor: str | None


class RegisterQuery(StrictSchema):
    kind: Literal[tuple(queries.REGISTER_KINDS)] = "attempts"  # type: ignore[valid-type]
    user: int | None = None
    role: str = Field("", max_length=20)
    action: str = Field("", max_length=20)
    case: str = Field("", max_length=40)
    since: dt.date | None = None
    until: dt.date | None = None
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)


def _reference(entry: Any) -> str | None:
    case = getattr(entry, "case", None)
    return case.reference if case is not None else (getattr(entry, "reference", "") or None)


def _entry(kind: str, entry: Any) -> dict[str, Any]:
    """One register entry in the API's single shape, whatever its kind."""
    if kind == "attempts":
        return {
            "user_id": entry.user_id,
            "role": entry.role,
            "what": entry.get_action_display(),
            "detail": {"path": entry.path, "asked": entry.asked, "ip_address": entry.ip_address},
        }
    if kind == "approaches":
        return {
            "user_id": entry.recorded_by_id,
            "role": entry.recorded_by.role,
            "what": f"Approached by {entry.approached_by} ({entry.get_channel_display().lower()})",
            "detail": {
                "approached_on": entry.approached_on.isoformat(),
                "channel": entry.channel,
                "asked": entry.asked,
                "answered": entry.answered,
            },
        }
    if kind == "recusals":
        return {
            "user_id": entry.user_id,
            "role": entry.user.role,
            "what": "Stepped aside",
            "detail": {"reasons": entry.reasons},
        }
    if kind == "challenges":
        return {
            "user_id": entry.challenged_id,
            "role": entry.challenged.role,
            "what": f"Challenged for bias: {entry.get_decision_display()}",
            "detail": {
                "grounds": entry.grounds,
                "decision": entry.decision,
                "decision_reasons": entry.decision_reasons,
            },
        }
    spec = entry.case.rulebook.spec
    return {
        "user_id": entry.decided_by_id,
        "role": entry.decided_by.role if entry.decided_by else "",
        "what": f"{spec.transitions[entry.stage_change.transition].label}: "
        f"{entry.get_status_display()}"
        if entry.stage_change.transition in spec.transitions
        else entry.get_status_display(),
        "detail": {"status": entry.status, "reasons": entry.reasons},
    }


TIME_FIELD = {
    "attempts": "at",
    "approaches": "recorded_at",
    "recusals": "at",
    "challenges": "raised_at",
    "verifications": "held_at",
}


@router.get(
    "/oversight/register", response={200: RegisterOut, **ERRORS}, operation_id="oversight_register"
)
def oversight_register(request: Any, query: Query[RegisterQuery]) -> dict[str, Any]:
    """The register, one kind at a time, newest first, with the page's filters and the count
    of each kind; decisions awaiting verification in `pending`."""
    require_scope(request, Scope.CASES_READ)
    refuse_unknown_query(request, set(RegisterQuery.model_fields))
    register_reader(request.user)
    organisation_id = request.user.organisation_id
    filters = queries.RegisterFilters(
        user_id=query.user,
        role=query.role,
        case=query.case,
        since=query.since,
        until=query.until,
        action=query.action,
    )
    rows = queries.register_entries(organisation_id, query.kind, filters)
    if query.kind == "verifications":
        rows = rows.annotate(held_at=F("stage_change__at"))
    items, next_cursor = cursor_page(
        rows, cursor=query.cursor, limit=query.limit, order=(TIME_FIELD[query.kind], "pk")
    )
    pending = queries.register_pending(organisation_id)
    return {
        "kind": query.kind,
        "counts": queries.register_counts(organisation_id, filters),
        "pending": [
            {
                "case_reference": v.case.reference,
                "decision": v.stage_change.transition,
                "held_since": v.stage_change.at,
            }
            for v in pending
        ],
        "items": [
            {
                "kind": query.kind,
                "id": entry.pk,
                "at": getattr(entry, TIME_FIELD[query.kind]),
                "case_reference": _reference(entry),
                **_entry(query.kind, entry),
            }
            for entry in items
        ],
        "next_cursor": next_cursor,
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
