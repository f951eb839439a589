"""Cases on the JSON API: the same access functions and services as the pages."""

import datetime as dt
from typing import Any, Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from fairhearing.accounts.models import User
from fairhearing.api.core import (
    ERRORS,
    NON_BLANK,
    ApiError,
    OkOut,
    ReasonIn,
    StrictSchema,
    idempotent,
    keyset_page,
    refuse_unknown_query,
    require_scope,
)
from fairhearing.api.models import Scope
from fairhearing.caselist.queries import (
    QUEUES,
    case_list,
    sort_keys,
    sort_offered,
    sort_parse,
)
from fairhearing.core.limits import REASONS_MAX, RULE_MAX
from fairhearing.deadlines.models import ClockStop, Deadline
from fairhearing.deadlines.queries import clock_stops_live
from fairhearing.organisations.models import Organisation
from fairhearing.oversight.services import case_view_log
from fairhearing.people.services import PersonDetails
from fairhearing.workflow import services as workflow

from . import services
from .access import (
    NOT_FOUND,
    bulk_assigner,
    case_for,
    case_list_reader,
    cases_for,
    cases_visible_to,
    search_refusals_record,
)
from .models import Case
from .queries import case_timeline
from .services import BULK_MOST

MAX_PAGE = 100
router = Router(tags=["cases"])


class PersonOut(Schema):
    id: int
    full_name: str
    role: str


class AllegationOut(Schema):
    id: int
    allegation_type: str
    category: str
    conduct_date: dt.date | None
    description: str
    url: str
    acting_account: str
    conduct_rule_refs: list[str]


class ClockStopBrief(Schema):
    """A time limit's clock stop awaiting a decision (`requested`: decide it at
    `/cases/{reference}/clock-stops/{id}/decision`) or in force (`stopped`)."""

    id: int
    status: str
    restart_on: dt.date
    requested_by: int | None
    requested_at: dt.datetime
    started_at: dt.datetime | None
    escalated: bool


class DeadlineOut(Schema):
    id: int
    kind: str
    label: str
    working_days: int
    due_at: dt.datetime
    status: str
    overdue: bool
    clock_stop: ClockStopBrief | None = None


class CaseSummary(Schema):
    reference: str
    stage: str
    stage_label: str
    category: str
    respondent: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    outcome: str
    overdue: bool
    next_due_at: dt.datetime | None
    overdue_since: dt.datetime | None


class CaseDetail(CaseSummary):
    sanction: str
    sanction_ends_on: dt.date | None
    hearing_at: dt.datetime | None
    rulebook_version: int
    parties: list[PersonOut]
    allegations: list[AllegationOut]
    deadlines: list[DeadlineOut]
    team: list[PersonOut]
    actions: list[str]


# The page's `queue` and `sort` parameters (caselist.queries.QUEUES and SORT_VALUES).
QueueName = Literal["mine", "awaiting_me", "due_this_week", "overdue", "unassigned", "all"]
SortName = Literal[
    "reference",
    "-reference",
    "category",
    "-category",
    "stage",
    "-stage",
    "next_due",
    "-next_due",
    "days_overdue",
    "-days_overdue",
    "opened",
    "-opened",
]
SORT_NOT_OFFERED = (
    "The list sorts by {column} only within the queues {queues}, and not while searching: "
    "over every case, that order would read every case first."
)


class CaseFilters(StrictSchema):
    queue: QueueName = Field(
        "all", description="as the case list's queues; a search looks through every queue"
    )
    sort: SortName = Field(
        "-opened", description="a column, reversed with '-': reference and opened anywhere"
    )
    stage: str = ""
    category: str = ""
    overdue: bool = False
    assignee: str = Field(
        "", pattern=r"^(unassigned|[0-9]*)$", description="a user id or 'unassigned'"
    )
    search: str = Field(
        "",
        description=(
            "a case or complaint reference, its start (FH-2026-000), a person's whole name or "
            "membership number, or part of a name: each word the start of a word of the name, "
            "3 letters or more (a part or start that matches over 1,000 finds nothing)"
        ),
    )
    cursor: str | None = None
    limit: int = Field(25, ge=1, le=MAX_PAGE)


class CasePage(Schema):
    items: list[CaseSummary]
    next_cursor: str | None


class TimelineEntryOut(Schema):
    seq: int
    at: dt.datetime
    kind: str
    actor_id: int | None
    hash: str
    transition: str | None = None
    reasons: str | None = None
    rule_applied: str | None = None


def summary(case: Case) -> dict[str, Any]:
    """A case as lists show it; a row of `case_list` brings its time limits' figures with it."""
    if hasattr(case, "next_due_at"):
        next_due_at, overdue_since = case.next_due_at, getattr(case, "overdue_since", None)
    else:
        running = case.deadlines.filter(status=Deadline.Status.OPEN)
        next_due_at = running.order_by("due_at").values_list("due_at", flat=True).first()
        overdue_since = (
            running.filter(binds=Deadline.Binds.ORGANISATION, due_at__lt=timezone.now())
            .order_by("due_at")
            .values_list("due_at", flat=True)
            .first()
        )
    return {
        "reference": case.reference,
        "stage": case.stage,
        "stage_label": case.stage_label,
        "category": case.category,
        "respondent": case.respondent.full_name,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "outcome": case.outcome,
        "overdue": overdue_since is not None,
        "next_due_at": next_due_at,
        "overdue_since": overdue_since,
    }


def _clock_stop(stop: ClockStop | None) -> dict[str, Any] | None:
    if stop is None:
        return None
    return {
        "id": stop.pk,
        "status": stop.status,
        "restart_on": stop.restart_on,
        "requested_by": stop.requested_by_id,
        "requested_at": stop.requested_at,
        "started_at": stop.started_at,
        "escalated": stop.escalated_at is not None,
    }


def detail(case: Case) -> dict[str, Any]:
    now = timezone.now()
    stops = clock_stops_live(case)
    return {
        **summary(case),
        "sanction": case.sanction,
        "sanction_ends_on": case.sanction_ends_on,
        "hearing_at": case.hearing_at,
        "rulebook_version": case.rulebook.version,
        "parties": [
            {"id": case.respondent_id, "full_name": case.respondent.full_name, "role": "respondent"}
        ]
        + [
            {"id": p.person_id, "full_name": p.person.full_name, "role": p.role}
            for p in case.parties.select_related("person")
        ],
        "allegations": list(case.allegations.all()),
        "deadlines": [
            {
                **{
                    f: getattr(d, f)
                    for f in ("id", "kind", "label", "working_days", "due_at", "status")
                },
                "overdue": d.is_overdue(now),
                "clock_stop": _clock_stop(stops.get(d.pk)),
            }
            for d in case.deadlines.order_by("started_at")
        ],
        "team": [
            {"id": a.user_id, "full_name": a.user.display_name, "role": a.role}
            for a in case.assignments.filter(ended_at__isnull=True).select_related("user")
        ],
        "actions": [t.key for t in case.rulebook.spec.transitions_from(case.stage)],
    }


@router.get("/cases", response={200: CasePage, **ERRORS}, operation_id="cases_list")
def cases_list(request: Any, filters: Query[CaseFilters]) -> dict[str, Any]:
    require_scope(request, Scope.CASES_READ)
    refuse_unknown_query(request, set(CaseFilters.model_fields))
    user = case_list_reader(request.user)
    search_refusals_record(user, filters.search, request)
    searching = bool(filters.search)
    if not sort_offered(filters.sort, filters.queue, searching=searching):
        # A valid request the list does not serve (422 is for what the schema refuses).
        column = sort_parse(filters.sort)
        assert column is not None  # the schema took only known sorts
        queues = ", ".join(queue for queue in QUEUES if sort_offered(filters.sort, queue))
        message = SORT_NOT_OFFERED.format(column=column[0].label.lower(), queues=queues)
        raise ApiError(409, "refused", message, {"sort": [message]})
    spec = Organisation.objects.get(pk=user.organisation_id).current_rulebook().spec
    queryset = case_list(
        cases_visible_to(user),
        queue=filters.queue,
        user=user,
        stage=filters.stage,
        category=filters.category,
        overdue=filters.overdue,
        assignee=filters.assignee,
        search=filters.search,
        sort=filters.sort,
        spec=spec,
    )
    items, next_cursor = keyset_page(
        queryset,
        keys=sort_keys(filters.sort, filters.queue, searching=searching),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [summary(c) for c in items], "next_cursor": next_cursor}


@router.get("/cases/{reference}", response={200: CaseDetail, **ERRORS}, operation_id="cases_detail")
def cases_detail(request: Any, reference: str) -> dict[str, Any]:

    require_scope(request, Scope.CASES_READ)
    case = case_for(request.user, reference, action="view", request=request)
    case_view_log(user=request.user, case=case, request=request)
    return detail(case)


@router.get(
    "/cases/{reference}/timeline",
    response={200: list[TimelineEntryOut], **ERRORS},
    operation_id="cases_timeline",
)
def cases_timeline(request: Any, reference: str) -> list[dict[str, Any]]:
    require_scope(request, Scope.CASES_READ)
    case = case_for(request.user, reference, action="view", request=request)
    entries = []
    for entry in case_timeline(case):
        event = entry.event
        entries.append(
            {
                "seq": event.seq,
                "at": event.at,
                "kind": event.kind_enum.name.lower(),
                "actor_id": event.actor_id,
                "hash": event.hash,
                "transition": entry.change.transition if entry.change else None,
                "reasons": entry.change.reasons if entry.change else None,
                "rule_applied": entry.change.rule_applied if entry.change else None,
            }
        )
    return entries


class TransitionIn(StrictSchema):
    transition: str = Field(max_length=60)
    reasons: str = Field(max_length=REASONS_MAX)
    rule_applied: str = Field(max_length=RULE_MAX)
    sanction: str = Field("", max_length=60)
    sanction_ends_on: dt.date | None = None


class StageChangeOut(Schema):
    id: int
    transition: str
    from_stage: str
    to_stage: str
    at: dt.datetime
    reasons: str
    rule_applied: str
    outcome: str
    sanction: str


def _act(request: Any, reference: str) -> Case:
    require_scope(request, Scope.CASES_WRITE)
    return case_for(request.user, reference, action="act", request=request)


@router.post(
    "/cases/{reference}/transitions",
    response={201: StageChangeOut, **ERRORS},
    operation_id="cases_transition",
)
@idempotent
def cases_transition(request: Any, reference: str, payload: TransitionIn) -> Status[Any]:
    case = _act(request, reference)
    change = workflow.case_transition(actor=request.user, case=case, **payload.dict())
    return Status(201, StageChangeOut.from_orm(change))


class HearingIn(StrictSchema):
    hearing_at: dt.datetime


@router.post(
    "/cases/{reference}/hearing", response={201: OkOut, **ERRORS}, operation_id="cases_hearing"
)
@idempotent
def cases_hearing(request: Any, reference: str, payload: HearingIn) -> Status[Any]:
    case = _act(request, reference)
    if payload.hearing_at.tzinfo is None:
        raise ApiError(
            409,
            "refused",
            "Give the hearing time with its time zone.",
            {"hearing_at": ["Timezone-aware datetime required."]},
        )
    workflow.case_schedule_hearing(actor=request.user, case=case, hearing_at=payload.hearing_at)
    return Status(201, {"ok": True, "id": case.pk})


class ConductExceptionIn(StrictSchema):
    reasons: str = Field(max_length=REASONS_MAX)
    rule_applied: str = Field(max_length=RULE_MAX)


@router.post(
    "/cases/{reference}/time-limit-exception",
    response={201: OkOut, **ERRORS},
    operation_id="cases_conduct_exception",
)
@idempotent
def cases_conduct_exception(
    request: Any, reference: str, payload: ConductExceptionIn
) -> Status[Any]:
    """Allow charges about conduct older than the rulebook's time limit (oversight, by
    default; never the case team)."""
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="view", request=request)
    exception = services.conduct_exception_allow(actor=request.user, case=case, **payload.dict())
    return Status(201, {"ok": True, "id": exception.pk})


class AssignIn(StrictSchema):
    user_id: int
    role: Literal["case_officer", "investigator"]


@router.post(
    "/cases/{reference}/team", response={201: OkOut, **ERRORS}, operation_id="cases_assign"
)
@idempotent
def cases_assign(request: Any, reference: str, payload: AssignIn) -> Status[Any]:
    case = _act(request, reference)
    user = get_object_or_404(User, pk=payload.user_id, organisation_id=case.organisation_id)
    assignment = workflow.case_assign(actor=request.user, case=case, user=user, role=payload.role)
    return Status(201, {"ok": True, "id": assignment.pk})


class BulkAssignIn(StrictSchema):
    references: list[str] = Field(..., min_length=1, max_length=BULK_MOST)
    user_id: int
    role: Literal["case_officer", "investigator"]
    replacing_id: int | None = None  # someone leaving: their place on each case ends
    reasons: str = Field(..., max_length=REASONS_MAX, pattern=NON_BLANK)


class BulkRefusedOut(Schema):
    reference: str
    reason: str


class BulkAssignOut(Schema):
    assigned: list[str]
    refused: list[BulkRefusedOut]


@router.post(
    "/assignments/bulk",
    response={200: BulkAssignOut, **ERRORS},
    operation_id="cases_bulk_assign",
)
@idempotent
def cases_bulk_assign(request: Any, payload: BulkAssignIn) -> Any:
    """Put one person on many case teams (replacing someone who leaves, if named), one decision
    per case with the same reasons; a case refused by the rules, or not open to the caller
    (recorded), is listed with the reason and the others go through."""
    require_scope(request, Scope.CASES_WRITE)
    actor = bulk_assigner(request.user)
    cases, not_found = cases_for(actor, payload.references, request=request)
    staff = User.objects.filter(organisation_id=actor.organisation_id)
    user = get_object_or_404(staff, pk=payload.user_id)
    replacing = get_object_or_404(staff, pk=payload.replacing_id) if payload.replacing_id else None
    outcomes = workflow.cases_bulk_assign(
        actor=actor,
        cases=cases,
        user=user,
        role=payload.role,
        replacing=replacing,
        reasons=payload.reasons,
    )
    return {
        "assigned": [o.case.reference for o in outcomes if not o.refused],
        "refused": [
            {"reference": o.case.reference, "reason": o.refused} for o in outcomes if o.refused
        ]
        + [{"reference": reference, "reason": NOT_FOUND} for reference in not_found],
    }


class WitnessIn(StrictSchema):
    full_name: str = Field(..., max_length=200, pattern=NON_BLANK)
    email: str = Field("", max_length=254)
    membership_number: str = Field("", max_length=40)


@router.post(
    "/cases/{reference}/witnesses", response={201: OkOut, **ERRORS}, operation_id="cases_witness"
)
@idempotent
def cases_witness(request: Any, reference: str, payload: WitnessIn) -> Status[Any]:
    case = _act(request, reference)
    party = services.case_add_witness(
        actor=request.user, case=case, details=PersonDetails(**payload.dict())
    )
    return Status(201, {"ok": True, "id": party.pk})


class RulesIn(StrictSchema):
    refs: list[str]


@router.put(
    "/cases/{reference}/allegations/{allegation_id}/rules",
    response={200: OkOut, **ERRORS},
    operation_id="cases_allegation_rules",
)
def cases_allegation_rules(
    request: Any, reference: str, allegation_id: int, payload: RulesIn
) -> dict[str, Any]:
    case = _act(request, reference)
    allegation = get_object_or_404(case.allegations, pk=allegation_id)
    services.allegation_set_conduct_rules(
        actor=request.user, allegation=allegation, refs=payload.refs
    )
    return {"ok": True, "id": allegation.pk}


@router.post(
    "/cases/{reference}/parties/{party_id}/protect",
    response={201: OkOut, **ERRORS},
    operation_id="cases_protect",
)
@idempotent
def cases_protect(request: Any, reference: str, party_id: int, payload: ReasonIn) -> Status[Any]:
    case = _act(request, reference)
    party = get_object_or_404(case.parties, pk=party_id, role="complainant")
    services.party_protect_identity(actor=request.user, party=party, reason=payload.reasons)
    return Status(201, {"ok": True, "id": party.pk})
