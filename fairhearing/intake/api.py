"""Submitting complaints through the API: the public form's and staff recording's twin."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from fairhearing.accounts.models import Role
from fairhearing.api.core import (
    ERRORS,
    NON_BLANK,
    ApiError,
    StrictSchema,
    idempotent,
    require_scope,
)
from fairhearing.api.models import Scope
from fairhearing.cases.models import AllegationType, Channel
from fairhearing.cases.services import AllegationDetails
from fairhearing.people.services import PersonDetails

from .services import complaint_submit, received_at_for

router = Router(tags=["complaints"])


class PersonIn(StrictSchema):
    full_name: str = Field(..., max_length=200, pattern=NON_BLANK)
    email: str = ""
    is_member: bool = False
    membership_number: str = ""
    branch: str = ""


class AllegationIn(StrictSchema):
    allegation_type: Literal[tuple(AllegationType.values)]  # type: ignore[valid-type]
    category: str
    description: str = Field(..., max_length=10000, pattern=NON_BLANK)
    conduct_date: dt.date | None = None
    url: str = ""


class ComplaintIn(StrictSchema):
    complainant: PersonIn
    respondents: list[PersonIn] = Field(..., min_length=1, max_length=20)
    allegation: AllegationIn
    channel: Literal[tuple(Channel.values)] = Channel.WEB.value  # type: ignore[valid-type]
    received_on: dt.date | None = None


class ComplaintOut(Schema):
    reference: str
    cases: list[str]
    acknowledged: bool


ONLY_CASE_OFFICERS = "Only case officers record complaints received by other channels."


@router.post(
    "/complaints", response={201: ComplaintOut, **ERRORS}, operation_id="complaints_submit"
)
@idempotent
def complaints_submit(request: Any, payload: ComplaintIn) -> Status[Any]:
    require_scope(request, Scope.COMPLAINTS_SUBMIT)
    user = request.user
    if payload.channel != Channel.WEB and user.role != Role.CASE_OFFICER:
        raise ApiError(403, "forbidden", ONLY_CASE_OFFICERS)
    if payload.allegation.conduct_date and payload.allegation.conduct_date > dt.date.today():
        raise ApiError(
            409,
            "refused",
            "The request was refused.",
            {"allegation.conduct_date": ["The date must be today or in the past."]},
        )
    received_at = None
    if payload.received_on:
        if payload.received_on > dt.date.today():
            raise ApiError(
                409,
                "refused",
                "The request was refused.",
                {"received_on": ["The date received must be today or in the past."]},
            )
        received_at = received_at_for(payload.received_on)

    def person(p: PersonIn) -> PersonDetails:
        return PersonDetails(
            full_name=p.full_name,
            email=p.email,
            is_member=p.is_member,
            membership_number=p.membership_number,
            branch_name=p.branch,
        )

    complaint = complaint_submit(
        actor=user,
        organisation=user.organisation,
        channel=payload.channel,
        complainant=person(payload.complainant),
        respondents=[person(r) for r in payload.respondents],
        allegation=AllegationDetails(**payload.allegation.dict()),
        summary=payload.allegation.description,
        received_at=received_at,
    )
    cases = list(complaint.cases.order_by("pk"))
    return Status(
        201,
        {
            "reference": complaint.reference,
            "cases": [c.reference for c in cases],
            "acknowledged": all(c.stage != "received" for c in cases),
        },
    )
