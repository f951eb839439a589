from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status

from fairhearing.api.core import ERRORS, ApiError, OkOut, StrictSchema, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.core.limits import MESSAGE_MAX
from fairhearing.people.models import Person
from fairhearing.workflow import sign_in

from . import services

router = Router(tags=["parties"])


class MessageIn(StrictSchema):
    body: str = Field(max_length=MESSAGE_MAX)


def _party(request: Any, reference: str, person_id: int) -> tuple[Any, Person]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    return case, get_object_or_404(Person, pk=person_id, organisation_id=case.organisation_id)


@router.post(
    "/cases/{reference}/people/{person_id}/sign-in-link",
    response={201: OkOut, **ERRORS},
    operation_id="parties_send_link",
)
@idempotent
def parties_send_link(request: Any, reference: str, person_id: int) -> Status[Any]:
    case, person = _party(request, reference, person_id)
    link = sign_in.sign_in_link_send(actor=request.user, case=case, person=person)
    return Status(201, {"ok": True, "id": link.pk})


@router.post(
    "/cases/{reference}/people/{person_id}/messages",
    response={201: OkOut, **ERRORS},
    operation_id="parties_message",
)
@idempotent
def parties_message(
    request: Any, reference: str, person_id: int, payload: MessageIn
) -> Status[Any]:
    case, person = _party(request, reference, person_id)
    role = services.party_role(case, person)
    if role is None:
        raise ApiError(409, "refused", services.NOT_A_PARTY)
    message = services.message_send(
        case=case, party_person=person, party_role=role, body=payload.body, from_staff=request.user
    )
    return Status(201, {"ok": True, "id": message.pk})
