"""The fast path of intake: complaints recorded with a few statements each kind, then
acknowledged the same way: a batch of queued submissions (the worker), or one complaint as it
arrives (`complaint_submit`).

One by one (`complaint_record`, then `complaint_acknowledge_by_email`), a queued complaint
costs about forty statements and ten milliseconds of the worker's CPU, so the worker recorded
fewer complaints a second than the API accepted (docs/performance.md). Here a batch is
recorded with bulk inserts and one ledger append, and acknowledged with one more, and the
records and ledger events are the ones the row path writes, in the same order
(tests/test_bulk.py compares the two paths).

A submission the fast path does not take goes the row path: one naming a post or carrying
its words (the same post already open joins that case, which the row path decides), or
one that a field check refuses (the row path refuses it with the reason). A case whose
acknowledgement could have other effects (a rulebook whose acknowledge transition has
requirements, is held for verification or closes the case) is acknowledged one by one.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fairhearing.cases.models import Allegation, Case, Complaint, Party, StageChange
from fairhearing.cases.services import (
    case_parts_insert,
    cases_insert,
    cases_move_many,
    complaints_insert,
    references_take,
    stage_changes_insert,
)
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.models import Deadline
from fairhearing.deadlines.services import (
    deadline_opened_payload,
    stage_deadlines_close_many,
    stage_deadlines_open_many,
)
from fairhearing.evidence.posts import post_key
from fairhearing.intake.record import (
    acknowledgement_sent_payload,
    allegation_from_details,
    case_opened_payload,
    complaint_check,
    complaint_received_payload,
)
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append_many
from fairhearing.linking.models import Fingerprint
from fairhearing.linking.services import Print, fingerprints_record_many
from fairhearing.organisations.models import Organisation
from fairhearing.people.services import Found, contact_filled_payload, people_find_or_create

Events = list[tuple[EventKind, int | None, dict[str, Any] | None]]


@dataclass(frozen=True)
class Incoming:
    """A complaint to record: a queued submission's (its reference taken on acceptance), or
    one arriving now (its reference taken as it is recorded)."""

    actor: Any
    received_at: dt.datetime
    # channel, complainant, respondents, allegation, summary: `complaint_record`'s arguments
    arguments: dict[str, Any]
    reference: str = ""


@dataclass
class Planned:
    incoming: Incoming
    arguments: dict[str, Any]
    complainant: Found | None = None
    respondents: list[Found] = field(default_factory=list)
    complaint: Complaint | None = None
    cases: list[Case] = field(default_factory=list)
    allegations: list[Allegation] = field(default_factory=list)
    deadlines: list[list[Deadline]] = field(default_factory=list)


def _checked(organisation: Organisation, incoming: Incoming) -> bool:
    """Whether the fast path can take it: no post to match, and the row path's checks pass
    (those that acceptance runs: `complaint_check`)."""
    allegation = incoming.arguments["allegation"]
    if allegation.post_text or post_key(allegation.url):
        return False
    try:
        complaint_check(organisation=organisation, **incoming.arguments)
    except (CaseError, ValidationError):
        return False
    return True


def _append_in_order(events: list[tuple[Any, Events]]) -> list[Any]:
    """Append (actor, events) groups in order, one append per run of the same actor."""
    made: list[Any] = []
    run: Events = []
    actor: Any = None
    for who, group in events:
        if run and getattr(who, "pk", None) != getattr(actor, "pk", None):
            made += event_append_many(actor=actor, events=run)
            run = []
        actor = who
        run += group
    if run:
        made += event_append_many(actor=actor, events=run)
    return made


def _references(
    organisation: Organisation, counter: str, kind: str, arrivals: list[dt.datetime]
) -> list[str]:
    """A reference each, in turn, each with its own arrival's year (as the row path takes them)."""
    references: list[str] = []
    start = 0
    while start < len(arrivals):
        end = start
        while end < len(arrivals) and arrivals[end].year == arrivals[start].year:
            end += 1
        references += references_take(organisation, counter, arrivals[start], kind, end - start)
        start = end
    return references


def complaints_record_many(
    organisation: Organisation, incoming: list[Incoming]
) -> tuple[list[tuple[Complaint, list[Case]]], list[int]]:
    """Record the complaints the fast path takes, in the caller's transaction: what
    `complaint_record` records for each, in order. Returns their complaints (each with its
    cases) and the positions of those left for the row path."""
    rulebook = organisation.current_rulebook()
    spec = rulebook.spec
    plans, rest = [], []
    for position, item in enumerate(incoming):
        if _checked(organisation, item):
            plans.append(Planned(incoming=item, arguments=item.arguments))
        else:
            rest.append(position)
    if not plans:
        return [], rest

    # People in the order the row path finds or makes them: each complainant, then the
    # complaint's respondents.
    wanted = [d for p in plans for d in (p.arguments["complainant"], *p.arguments["respondents"])]
    people = iter(
        people_find_or_create(organisation_id=organisation.pk, details=wanted, check=False)
    )
    for plan in plans:
        plan.complainant = next(people)
        plan.respondents = [next(people) for _ in plan.arguments["respondents"]]
    complainants = [p.complainant.person for p in plans if p.complainant is not None]
    respondents = [[found.person for found in p.respondents] for p in plans]

    unnumbered = [p.incoming.received_at for p in plans if not p.incoming.reference]
    numbers = iter(_references(organisation, "next_complaint_number", "C", unnumbered))
    for plan, complainant in zip(plans, complainants, strict=True):
        item = plan.incoming
        plan.complaint = Complaint(
            organisation=organisation,
            reference=item.reference or next(numbers),
            received_at=item.received_at,
            channel=plan.arguments["channel"],
            complainant=complainant,
            summary=plan.arguments["summary"],
            recorded_by=item.actor,
        )
    complaints_insert([p.complaint for p in plans if p.complaint is not None])

    arrivals = [p.incoming.received_at for p in plans for _ in p.arguments["respondents"]]
    references = _references(organisation, "next_case_number", "", arrivals)
    numbered = iter(references)
    for plan, people_of in zip(plans, respondents, strict=True):
        at = plan.incoming.received_at
        for person in people_of:
            plan.cases.append(
                Case(
                    organisation=organisation,
                    reference=next(numbered),
                    rulebook=rulebook,
                    respondent=person,
                    category=plan.arguments["allegation"].category,
                    stage=spec.first_stage,
                    stage_entered_at=at,
                    opened_at=at,
                )
            )
    cases = [c for p in plans for c in p.cases]
    cases_insert(cases)

    through = Case.complaints.through
    links, parties, allegations = [], [], []
    for plan, complainant in zip(plans, complainants, strict=True):
        complaint = plan.complaint
        assert complaint is not None
        for case in plan.cases:
            links.append(through(case_id=case.pk, complaint_id=complaint.pk))
            parties.append(
                Party(
                    case=case, person=complainant, role=Party.Role.COMPLAINANT, complaint=complaint
                )
            )
            allegation = allegation_from_details(plan.arguments["allegation"], case=case)
            plan.allegations.append(allegation)
            allegations.append(allegation)
    case_parts_insert(links=links, parties=parties, allegations=allegations)

    fingerprints_record_many(
        [
            Print(
                case=case,
                source=Fingerprint.Source.ALLEGATION,
                source_id=allegation.pk,
                text=plan.arguments["allegation"].description,
            )
            for plan in plans
            for case, allegation in zip(plan.cases, plan.allegations, strict=True)
        ]
    )

    opened = iter(
        stage_deadlines_open_many(
            [(case, plan.incoming.received_at) for plan in plans for case in plan.cases]
        )
    )
    for plan in plans:
        plan.deadlines = [next(opened) for _ in plan.cases]

    groups: list[tuple[Any, Events]] = []
    for plan in plans:
        complaint = plan.complaint
        assert complaint is not None and plan.complainant is not None
        events: Events = _filled(plan.complainant)
        events.append(
            (
                EventKind.COMPLAINT_RECEIVED,
                None,
                complaint_received_payload(complaint, respondents=len(plan.cases)),
            )
        )
        for case, respondent, allegation, deadlines in zip(
            plan.cases, plan.respondents, plan.allegations, plan.deadlines, strict=True
        ):
            events += _filled(respondent)
            events.append(
                (
                    EventKind.CASE_OPENED,
                    case.pk,
                    case_opened_payload(case, complaint=complaint, allegation=allegation),
                )
            )
            events += [
                (EventKind.DEADLINE_OPENED, case.pk, deadline_opened_payload(d)) for d in deadlines
            ]
        groups.append((plan.incoming.actor, events))
    appended = iter(_append_in_order(groups))
    recorded = []
    for plan, (_, events) in zip(plans, groups, strict=True):
        complaint = plan.complaint
        assert complaint is not None
        for kind, _, _ in events:
            event = next(appended)
            if kind == EventKind.COMPLAINT_RECEIVED:
                complaint.received_event = event
        recorded.append((complaint, plan.cases))
    return recorded, rest


def _filled(found: Found) -> Events:
    """The event of contact details an entry filled in on a person on record, if any."""
    if not found.filled:
        return []
    return [
        (EventKind.CONTACT_DETAILS_FILLED, None, contact_filled_payload(found.person, found.filled))
    ]


def _plainly_acknowledged(case: Case) -> bool:
    """Whether acknowledging the case only moves it on: a transition with no requirement,
    not held for verification and not closing it (which would tell the parties)."""
    spec = case.rulebook.spec
    move = spec.transitions.get("acknowledge")
    return (
        move is not None
        and move.source == case.stage
        and not move.requires
        and not move.closes
        and not spec.needs_verification(case.category, move.key)
        and case.closed_at is None
    )


def acknowledgements_record_many(
    sent: list[tuple[Complaint, list[Case]]], *, reasons: str, rule_applied: str
) -> bool:
    """Record sent acknowledgements, in the caller's transaction, as `acknowledgement_record`
    does for each in turn. False, having written nothing, if a case is not one the fast path
    takes (the caller then records each one by one)."""
    cases = [case for _, covered in sent for case in covered]
    ids = [case.pk for case in cases]
    locked = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=ids)}
    for case in cases:
        current = locked.get(case.pk)
        if current is None or current.stage != case.stage or current.closed_at is not None:
            return False
        if not _plainly_acknowledged(case):
            return False
    now = timezone.now()
    move = {case.pk: case.rulebook.spec.transitions["acknowledge"] for case in cases}
    changes = [
        StageChange(
            case=case,
            transition="acknowledge",
            from_stage=case.stage,
            to_stage=move[case.pk].target,
            actor=None,
            at=now,
            reasons=reasons,
            rule_applied=rule_applied,
            outcome=move[case.pk].outcome,
        )
        for case in cases
    ]
    stage_changes_insert(changes)
    running: dict[int, list[Deadline]] = {}
    for deadline in Deadline.objects.filter(
        case_id__in=ids, status__in=["open", "paused"], stage_bound=True
    ).order_by("pk"):
        running.setdefault(deadline.case_id, []).append(deadline)
    closing: list[Deadline] = []
    for case in cases:
        target = move[case.pk].target
        wanted = {lim.kind for lim in case.rulebook.spec.limits_for_stage(target)}
        closing += [d for d in running.get(case.pk, []) if d.kind not in wanted]
        case.stage, case.stage_entered_at = target, now
    for target in {m.target for m in move.values()}:
        cases_move_many([pk for pk in ids if move[pk].target == target], stage=target, at=now)
    stage_deadlines_close_many(closing, now)
    made = stage_deadlines_open_many(
        [(case, now) for case in cases],
        skip={case.pk: {d.kind for d in running.get(case.pk, [])} for case in cases},
    )
    opening: dict[int, list[Deadline]] = dict(zip(ids, made, strict=True))
    closed_by_case: dict[int, list[Deadline]] = {}
    for deadline in closing:
        closed_by_case.setdefault(deadline.case_id, []).append(deadline)

    events: Events = []
    by_case = dict(zip(ids, changes, strict=True))
    for complaint, covered in sent:
        events.append(
            (
                EventKind.ACKNOWLEDGEMENT_SENT,
                None,
                acknowledgement_sent_payload(complaint, covered),
            )
        )
        for case in covered:
            change = by_case[case.pk]
            events.append(
                (
                    EventKind.CASE_TRANSITIONED,
                    case.pk,
                    {
                        "transition": change.transition,
                        "from": change.from_stage,
                        "to": change.to_stage,
                        "held_for_verification": False,
                        "stage_change": change.pk,
                        "reasons_sha256": content_hash(reasons),
                        "rule_applied": rule_applied,
                        "outcome": change.outcome,
                        "sanction": "",
                        "sanction_ends_on": None,
                    },
                )
            )
            for deadline in closed_by_case.get(case.pk, []):
                met = now <= deadline.due_at
                events.append(
                    (
                        EventKind.DEADLINE_MET if met else EventKind.DEADLINE_CANCELLED,
                        case.pk,
                        {"deadline": deadline.pk, "kind": deadline.kind, "met": met},
                    )
                )
            events += [
                (EventKind.DEADLINE_OPENED, case.pk, deadline_opened_payload(d))
                for d in opening[case.pk]
            ]
    event_append_many(actor=None, events=events)
    return True
