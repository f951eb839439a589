from typing import Any, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from fairhearing.accounts.models import User
from fairhearing.api.core import ERRORS, OkOut, ReasonIn, StrictSchema, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.core.limits import NOTE_MAX, REASONS_MAX
from fairhearing.organisations.models import Branch
from fairhearing.people.models import Person
from fairhearing.workflow import bias

from . import services
from .access import case_to_step_aside_from
from .models import BiasChallenge, Declaration
from .queries import active_declarations

router = Router(tags=["interests"])


class DeclarationIn(StrictSchema):
    kind: Literal[tuple(Declaration.Kind.values)]  # type: ignore[valid-type]
    person_id: int | None = None
    branch_id: int | None = None
    text: str = Field("", max_length=NOTE_MAX)


class DeclarationOut(Schema):
    id: int
    kind: str
    description: str


def _out(declaration: Declaration) -> dict[str, Any]:
    return {"id": declaration.pk, "kind": declaration.kind, "description": declaration.describe()}


@router.get(
    "/interests", response={200: list[DeclarationOut], **ERRORS}, operation_id="interests_list"
)
def interests_list(request: Any) -> list[dict[str, Any]]:
    require_scope(request, Scope.CASES_READ)
    return [_out(d) for d in active_declarations(request.user)]


@router.post(
    "/interests", response={201: DeclarationOut, **ERRORS}, operation_id="interests_declare"
)
@idempotent
def interests_declare(request: Any, payload: DeclarationIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    organisation_id = request.user.organisation_id
    person = (
        get_object_or_404(Person, pk=payload.person_id, organisation_id=organisation_id)
        if payload.person_id
        else None
    )
    branch = (
        get_object_or_404(Branch, pk=payload.branch_id, organisation_id=organisation_id)
        if payload.branch_id
        else None
    )
    declaration = services.interest_declare(
        actor=request.user, kind=payload.kind, person=person, branch=branch, text=payload.text
    )
    return Status(201, _out(declaration))


@router.post(
    "/interests/{declaration_id}/withdraw",
    response={201: OkOut, **ERRORS},
    operation_id="interests_withdraw",
)
@idempotent
def interests_withdraw(request: Any, declaration_id: int) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    declaration = get_object_or_404(
        Declaration, pk=declaration_id, user=request.user, withdrawn_at__isnull=True
    )
    services.interest_withdraw(actor=request.user, declaration=declaration)
    return Status(201, {"ok": True, "id": declaration.pk})


@router.post(
    "/cases/{reference}/recusal", response={201: OkOut, **ERRORS}, operation_id="interests_recuse"
)
@idempotent
def interests_recuse(request: Any, reference: str, payload: ReasonIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_to_step_aside_from(request.user, reference, request=request)
    recusal = bias.case_recuse(actor=request.user, case=case, reasons=payload.reasons)
    return Status(201, {"ok": True, "id": recusal.pk})


class ChallengeIn(StrictSchema):
    challenged_user_id: int
    raised_by_person_id: int
    grounds: str = Field(max_length=REASONS_MAX)


@router.post(
    "/cases/{reference}/challenges",
    response={201: OkOut, **ERRORS},
    operation_id="interests_challenge",
)
@idempotent
def interests_challenge(request: Any, reference: str, payload: ChallengeIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    challenge = bias.challenge_raise(
        actor=request.user,
        case=case,
        challenged=get_object_or_404(
            User, pk=payload.challenged_user_id, organisation_id=case.organisation_id
        ),
        raised_by=get_object_or_404(
            Person, pk=payload.raised_by_person_id, organisation_id=case.organisation_id
        ),
        grounds=payload.grounds,
    )
    return Status(201, {"ok": True, "id": challenge.pk})


class ChallengeDecisionIn(StrictSchema):
    upheld: bool
    reasons: str = Field(max_length=REASONS_MAX)


@router.post(
    "/cases/{reference}/challenges/{challenge_id}/decision",
    response={201: OkOut, **ERRORS},
    operation_id="interests_challenge_decide",
)
@idempotent
def interests_challenge_decide(
    request: Any, reference: str, challenge_id: int, payload: ChallengeDecisionIn
) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    challenge = get_object_or_404(BiasChallenge, pk=challenge_id, case=case)
    bias.challenge_decide(
        actor=request.user, challenge=challenge, upheld=payload.upheld, reasons=payload.reasons
    )
    return Status(201, {"ok": True, "id": challenge.pk})
