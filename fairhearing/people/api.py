"""A party's affiliations and contact details, through their case: the same access and services
as the pages."""

import datetime as dt
from typing import Any, Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from fairhearing.api.core import ERRORS, OkOut, ReasonIn, StrictSchema, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.cases.models import Case
from fairhearing.core.limits import (
    ADDRESS_MAX,
    AFFILIATION_NAME_MAX,
    EMAIL_MAX,
    NOTE_MAX,
    REASONS_MAX,
)

from . import services
from .models import Affiliation, Person
from .queries import affiliation_of_case, case_party_for_affiliations
from .views import NOT_A_PARTY

router = Router(tags=["people"])


class AffiliationIn(StrictSchema):
    kind: Literal[tuple(Affiliation.Kind.values)]  # type: ignore[valid-type]
    name: str = Field(max_length=AFFILIATION_NAME_MAX)
    source: str = Field(max_length=NOTE_MAX)
    source_date: dt.date


class AffiliationOut(Schema):
    id: int
    kind: str
    name: str
    source: str
    source_date: dt.date
    recorded_at: dt.datetime
    ended_at: dt.datetime | None
    end_reasons: str


class ContactIn(StrictSchema):
    email: str = Field("", max_length=EMAIL_MAX)
    postal_address: str = Field("", max_length=ADDRESS_MAX)
    reasons: str = Field(..., max_length=REASONS_MAX)


class ContactOut(Schema):
    id: int
    email: str
    postal_address: str


def _party(request: Any, reference: str, person_id: int, scope: str) -> tuple[Case, Person]:
    require_scope(request, scope)
    case = case_for(
        request.user,
        reference,
        action="view" if scope == Scope.CASES_READ else "act",
        request=request,
    )
    found = case_party_for_affiliations(case, person_id)
    if found is None:
        raise Http404(NOT_A_PARTY)
    return case, found[0]


@router.get(
    "/cases/{reference}/people/{person_id}/affiliations",
    response={200: list[AffiliationOut], **ERRORS},
    operation_id="people_affiliations",
)
def people_affiliations(request: Any, reference: str, person_id: int) -> list[Affiliation]:
    _, person = _party(request, reference, person_id, Scope.CASES_READ)
    return list(person.affiliations.order_by("ended_at", "-recorded_at"))


@router.post(
    "/cases/{reference}/people/{person_id}/affiliations",
    response={201: OkOut, **ERRORS},
    operation_id="people_affiliation_record",
)
@idempotent
def people_affiliation_record(
    request: Any, reference: str, person_id: int, payload: AffiliationIn
) -> Status[Any]:
    case, person = _party(request, reference, person_id, Scope.CASES_WRITE)
    affiliation = services.affiliation_record(
        actor=request.user, person=person, case_id=case.pk, **payload.dict()
    )
    return Status(201, {"ok": True, "id": affiliation.pk})


@router.post(
    "/cases/{reference}/affiliations/{affiliation_id}/end",
    response={201: OkOut, **ERRORS},
    operation_id="people_affiliation_end",
)
@idempotent
def people_affiliation_end(
    request: Any, reference: str, affiliation_id: int, payload: ReasonIn
) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    affiliation = affiliation_of_case(case, affiliation_id)
    if affiliation is None:
        raise Http404(NOT_A_PARTY)
    services.affiliation_end(
        actor=request.user, affiliation=affiliation, reasons=payload.reasons, case_id=case.pk
    )
    return Status(201, {"ok": True, "id": affiliation.pk})


@router.get(
    "/cases/{reference}/people/{person_id}/contact",
    response={200: ContactOut, **ERRORS},
    operation_id="people_contact",
)
def people_contact(request: Any, reference: str, person_id: int) -> Person:
    _, person = _party(request, reference, person_id, Scope.CASES_WRITE)
    return person


@router.post(
    "/cases/{reference}/people/{person_id}/contact",
    response={201: OkOut, **ERRORS},
    operation_id="people_contact_correct",
)
@idempotent
def people_contact_correct(
    request: Any, reference: str, person_id: int, payload: ContactIn
) -> Status[Any]:
    case, person = _party(request, reference, person_id, Scope.CASES_WRITE)
    services.person_contact_correct(
        actor=request.user, person=person, case_id=case.pk, **payload.dict()
    )
    return Status(201, {"ok": True, "id": person.pk})
