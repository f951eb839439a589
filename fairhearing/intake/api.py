"""Submitting complaints through the API: the public form's and staff recording's twin."""

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status

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
from fairhearing.core.limits import ADDRESS_MAX
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.queue import complaint_accept
from fairhearing.people.services import PersonDetails

from .access import complaint_submitter
from .queries import complaint_status
from .services import complaint_submit, received_at_for

router = Router(tags=["complaints"])
LANGUAGE_CODES = ("", *(code for code, _ in settings.LANGUAGES))


class PersonIn(StrictSchema):
    full_name: str = Field(..., max_length=200, pattern=NON_BLANK)
    email: str = Field("", max_length=254)
    is_member: bool = False
    membership_number: str = Field("", max_length=40)
    branch: str = ""
    postal_address: str = Field("", max_length=ADDRESS_MAX)
    # The language to write to them in ("cy": Welsh); "" or "en-gb" is the site's own.
    language: Literal[LANGUAGE_CODES] = Field(  # type: ignore[valid-type]
        "", description="The language their emails and letters are written in: en-gb or cy."
    )


class AllegationIn(StrictSchema):
    allegation_type: Literal[tuple(AllegationType.values)]  # type: ignore[valid-type]
    category: str
    description: str = Field(..., max_length=10000, pattern=NON_BLANK)
    conduct_date: dt.date | None = None
    url: str = ""
    # Online, the account that did it (posted, shared, replied, liked, followed).
    acting_account: str = Field("", max_length=100)


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


class ComplaintStatusOut(Schema):
    reference: str
    status: Literal["queued", "refused", "recorded"]
    reason: str = ""
    cases: list[str]
    acknowledged: bool


def respond_async(request: Any) -> bool:
    """RFC 7240's `Prefer: respond-async`: accept now, record in the background."""
    return any(
        token.split("=")[0].strip().lower() == "respond-async"
        for value in request.headers.get("Prefer", "").split(",")
        for token in value.split(";")[:1]
    )


@router.post(
    "/complaints",
    response={201: ComplaintOut, 202: ComplaintStatusOut, **ERRORS},
    operation_id="complaints_submit",
    description="Records the complaint and acknowledges it (201). With `Prefer: "
    "respond-async` it is checked, given its reference and queued (202): the worker records "
    "and acknowledges it within seconds, and `GET /complaints/{reference}` follows it.",
)
@idempotent
def complaints_submit(request: Any, payload: ComplaintIn, response: HttpResponse) -> Status[Any]:
    require_scope(request, Scope.COMPLAINTS_SUBMIT)
    user = request.user
    organisation = complaint_submitter(user, payload.channel)
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
            postal_address=p.postal_address,
            language="" if p.language == settings.LANGUAGE_CODE else p.language,
        )

    arguments = {
        "actor": user,
        "organisation": organisation,
        "channel": payload.channel,
        "complainant": person(payload.complainant),
        "respondents": [person(r) for r in payload.respondents],
        "allegation": AllegationDetails(**payload.allegation.dict()),
        "summary": payload.allegation.description,
        "received_at": received_at,
    }
    if respond_async(request):
        submission = complaint_accept(**arguments)
        response["Preference-Applied"] = "respond-async"
        response["Location"] = reverse("api:complaints_status", args=[submission.reference])
        return Status(
            202,
            {
                "reference": submission.reference,
                "status": "queued",
                "cases": [],
                "acknowledged": False,
            },
        )
    complaint = complaint_submit(**arguments)
    cases = list(complaint.cases.order_by("pk"))
    return Status(
        201,
        {
            "reference": complaint.reference,
            "cases": [c.reference for c in cases],
            "acknowledged": all(c.stage != "received" for c in cases),
        },
    )


NO_SUCH_COMPLAINT = "No complaint with that reference was submitted with this account."


@router.get(
    "/complaints/{reference}",
    response={200: ComplaintStatusOut, **ERRORS},
    operation_id="complaints_status",
)
def complaints_status(request: Any, reference: str) -> Any:
    """Where a complaint this account submitted stands: queued, refused (with the reason) or
    recorded (with its cases). Only the account that submitted it can ask."""
    require_scope(request, Scope.COMPLAINTS_SUBMIT)
    status = complaint_status(user=request.user, reference=reference)
    if status is None:
        raise ApiError(404, "not_found", NO_SUCH_COMPLAINT)
    return status
