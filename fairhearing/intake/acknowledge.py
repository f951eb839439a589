"""Acknowledging recorded complaints together: the worker's batch of queued submissions, or
one complaint as it arrives (`complaint_submit`).

One by one (`acknowledgement_record`, through `case_transition`), each acknowledgement costs
a dozen statements; here the stage changes, time limits and ledger events of a batch are
written with a few, and are those that recording each in turn writes, in the same order
(intake/tests/test_bulk.py compares the two). A case whose acknowledgement could have other
effects (a rulebook whose acknowledge transition has requirements, is held for verification
or closes the case) is acknowledged one by one.
"""

from django.utils import timezone

from fairhearing.cases.models import Case, Complaint, StageChange
from fairhearing.cases.services import cases_move_many, stage_changes_insert
from fairhearing.deadlines.models import Deadline
from fairhearing.deadlines.services import (
    deadline_opened_payload,
    stage_deadlines_close_many,
    stage_deadlines_open_many,
)
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append_many

from .record import Events, acknowledgement_sent_payload


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
    does for each in turn. False, having written nothing, if a case is not one this path
    takes (the caller then records each one by one)."""
    cases = [case for _, covered in sent for case in covered]
    ids = [case.pk for case in cases]
    if len(set(ids)) < len(ids):  # complaints that joined one case: it moves once
        return False
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
