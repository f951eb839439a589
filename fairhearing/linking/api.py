"""Related cases, links and merges on the JSON API: the same access and services as the pages."""

from typing import Any, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from fairhearing.api.core import ERRORS, NON_BLANK, OkOut, ReasonIn, StrictSchema, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for, cases_visible_to

from . import services
from .queries import links_of, related_cases

router = Router(tags=["linking"])


class SuggestionOut(Schema):
    reference: str
    score: float
    reasons: list[str]


@router.get(
    "/cases/{reference}/related",
    response={200: list[SuggestionOut], **ERRORS},
    operation_id="linking_related",
)
def linking_related(request: Any, reference: str) -> list[dict[str, Any]]:
    require_scope(request, Scope.CASES_READ)
    case = case_for(request.user, reference, action="view", request=request)
    found = related_cases(case)
    visible = set(
        cases_visible_to(request.user)
        .filter(pk__in=[s.case.pk for s in found])
        .values_list("pk", flat=True)
    )
    return [
        {"reference": s.case.reference, "score": s.score, "reasons": list(s.reasons)}
        for s in found
        if s.case.pk in visible
    ]


class LinkIn(StrictSchema):
    other: str = Field(pattern=NON_BLANK, max_length=32)
    kind: Literal["link", "merge"]
    reasons: str = Field(pattern=NON_BLANK, max_length=5000)


@router.post(
    "/cases/{reference}/links", response={201: OkOut, **ERRORS}, operation_id="linking_link"
)
def linking_link(request: Any, reference: str, payload: LinkIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    other = case_for(request.user, payload.other, action="act", request=request)
    act = services.case_merge if payload.kind == "merge" else services.case_link
    link = act(actor=request.user, case=case, other=other, reasons=payload.reasons)
    return Status(201, {"ok": True, "id": link.pk})


@router.post(
    "/cases/{reference}/links/{link_id}/undo",
    response={200: OkOut, **ERRORS},
    operation_id="linking_undo",
)
def linking_undo(request: Any, reference: str, link_id: int, payload: ReasonIn) -> dict[str, Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    link = get_object_or_404(links_of(case), pk=link_id, undone_at__isnull=True)
    services.case_unlink(actor=request.user, link=link, reasons=payload.reasons)
    return {"ok": True, "id": link.pk}
