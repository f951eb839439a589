"""Sanction compliance on the JSON API: the same access and services as the pages (the case
team follows up and records; oversight reads)."""

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from fairhearing.api.core import ERRORS, NON_BLANK, StrictSchema, binary, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.core.errors import CaseError
from fairhearing.core.limits import NOTE_MAX
from fairhearing.evidence.forms import upload_of
from fairhearing.evidence.responses import file_attachment
from fairhearing.evidence.storage import blob_read

from . import services
from .access import NO_SUCH_CONDITION, follow_up_cases
from .models import Condition
from .queries import conditions_of, conditions_to_follow_up

router = Router(tags=["sanctions"])


class ConditionOut(Schema):
    id: int
    case: str
    kind: str  # in words: "Complete a course", "Apologise", "Sanction ends"...
    description: str
    due_on: dt.date
    status: str  # in words: "Due", "Complied with", "Not complied with", "Withdrawn", "Ended"
    overdue: bool
    finished_at: dt.datetime | None
    finished_by: str
    note: str  # what showed it was done, why not, or why withdrawn
    has_proof: bool


def condition_out(condition: Condition, today: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": condition.pk,
        "case": condition.case.reference,
        "kind": condition.get_kind_display(),
        "description": condition.description,
        "due_on": condition.due_on,
        "status": condition.get_status_display(),
        "overdue": condition.overdue_on(today or timezone.localdate()),
        "finished_at": condition.finished_at,
        "finished_by": condition.finished_by.display_name if condition.finished_by else "",
        "note": condition.finish_note,
        "has_proof": condition.proof_id is not None,
    }


def condition_of(case: Any, pk: int) -> Condition:
    condition = Condition.objects.filter(case=case, pk=pk).first()
    if condition is None:
        raise Http404(NO_SUCH_CONDITION)
    condition.case = case
    return condition


@router.get(
    "/sanctions/conditions",
    response={200: list[ConditionOut], **ERRORS},
    operation_id="sanctions_follow_up",
)
def sanctions_follow_up(request: Any) -> list[dict[str, Any]]:
    """The open conditions of the cases this user acts on (oversight: every case), overdue
    first."""
    require_scope(request, Scope.CASES_READ)
    today = timezone.localdate()
    rows = conditions_to_follow_up(follow_up_cases(request.user), today=today)
    return [condition_out(row.condition, today) for row in rows]


@router.get(
    "/cases/{reference}/conditions",
    response={200: list[ConditionOut], **ERRORS},
    operation_id="sanctions_conditions",
)
def sanctions_conditions(request: Any, reference: str) -> list[dict[str, Any]]:
    """Every condition of the case's sanction, open ones first."""
    require_scope(request, Scope.CASES_READ)
    case = case_for(request.user, reference, action="view", request=request)
    return [condition_out(c) for c in conditions_of(case)]


class ConditionIn(StrictSchema):
    kind: Literal["course", "apology", "other"]
    description: str = Field(pattern=NON_BLANK, max_length=300)
    due_on: dt.date


@router.post(
    "/cases/{reference}/conditions",
    response={201: ConditionOut, **ERRORS},
    operation_id="sanctions_condition_add",
)
@idempotent
def sanctions_condition_add(request: Any, reference: str, payload: ConditionIn) -> Status[Any]:
    """A condition the decision set, added to the sanction in effect (409 without one)."""
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    condition = services.condition_add(
        actor=request.user,
        case=case,
        kind=payload.kind,
        description=payload.description,
        due_on=payload.due_on,
    )
    return Status(201, condition_out(condition))


class RecordIn(StrictSchema):
    outcome: Literal["complied", "not_complied"]
    # A form (it may carry a file): a blank note is the service's refusal (409), as a form
    # field's characters the site strips (NUL) could leave it blank after the schema's check.
    note: str = Field("", max_length=NOTE_MAX)


@router.post(
    "/cases/{reference}/conditions/{condition_id}/record",
    response={200: ConditionOut, **ERRORS},
    operation_id="sanctions_condition_record",
)
def sanctions_condition_record(
    request: Any,
    reference: str,
    condition_id: int,
    payload: Form[RecordIn],
    proof: File[UploadedFile | None] = None,
) -> dict[str, Any]:
    """Complied with (the note says what shows it; `proof`, a file, optional) or not (the
    note gives the reasons). Once only: 409 after."""
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    condition = condition_of(case, condition_id)
    if payload.outcome == "complied":
        done = services.condition_complied(
            actor=request.user, condition=condition, note=payload.note, proof=upload_of(proof)
        )
    else:
        if proof is not None:
            raise CaseError(services.PROOF_ONLY_WHEN_COMPLIED)
        done = services.condition_not_complied(
            actor=request.user, condition=condition, reasons=payload.note
        )
    return condition_out(done)


@router.get(
    "/cases/{reference}/conditions/{condition_id}/proof",
    response=ERRORS,
    operation_id="sanctions_condition_proof",
    openapi_extra=binary("application/octet-stream", "The file that showed it, as an attachment."),
)
def sanctions_condition_proof(request: Any, reference: str, condition_id: int) -> HttpResponse:
    require_scope(request, Scope.CASES_READ)
    case = case_for(request.user, reference, action="view", request=request)
    condition = condition_of(case, condition_id)
    if condition.proof is None:
        raise Http404("No file was kept for this condition.")
    return file_attachment(
        blob_read(condition.proof.sha256),
        content_type=condition.proof.content_type,
        stem=f"compliance-{case.reference}-{condition.pk}",
    )
