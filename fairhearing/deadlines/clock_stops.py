"""Governed clock-stops (R-56): a time limit's clock stops only for recorded reasons, with a
date on which it restarts by itself, and, where the rulebook says so, only once someone other
than who asked has approved it. A stop longer than the rulebook allows before escalation is
escalated once, as a breach is recorded once; stops and their length are in the published
statistics and the meeting packs (reporting).

Every write appends its ledger event in the same transaction. The sweep's writes are claimed
row by row with a conditional UPDATE, so a sweep run again, or by two workers, does nothing
twice.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .models import ClockStop, Deadline
from .services import (
    AWAITS_SERVICE,
    NOT_RUNNING,
    DeadlineError,
    calendar_for,
    clock_restart,
    clock_stop_now,
)

STOP_NEEDS_REASONS = "Give the reasons for stopping the clock."
RESTART_NEEDED = "Give the date the clock restarts."
RESTART_NOT_FUTURE = "The restart date must be after today."
RESTART_TOO_LATE = "The restart date must be within {days} days: {latest} at the latest."
ALREADY_ASKED = "A stop of this clock is already awaiting approval."
NOT_AWAITING = "This clock stop is no longer awaiting a decision."
DECISION_NEEDS_REASONS = "Give the reasons for your decision."
RESTART_PASSED = (
    "The restart date asked for has passed: decline this request, and ask again with a new date."
)
NOT_A_DECIDER = "Clock stops on this case are approved or declined by {who}."
NOT_YOUR_OWN = "Someone other than who asked for the clock stop must approve or decline it."


def _roles_in_words(roles: tuple[str, ...]) -> str:
    words = sorted(str(Role(r).label).lower() if r in Role.values else r for r in roles)
    if len(words) > 1:
        return f"{', '.join(words[:-1])} or {words[-1]}"
    return words[0] if words else "nobody"


def clock_stop_decider_refusal(actor: Any, stop: ClockStop) -> str | None:
    """Why this person may not approve or decline this stop, or None: the rulebook names the
    roles, and who asked never decides their own request."""
    rules = stop.case.rulebook.spec.clock_stops
    if (
        getattr(actor, "role", None) not in rules.approved_by
        or getattr(actor, "organisation_id", None) != stop.case.organisation_id
    ):
        return NOT_A_DECIDER.format(who=_roles_in_words(rules.approved_by))
    if stop.requested_by_id is not None and stop.requested_by_id == actor.pk:
        return NOT_YOUR_OWN
    return None


def restart_date_refusal(deadline: Deadline, restart_on: dt.date | None) -> str | None:
    """Why `restart_on` cannot be a restart date for this limit's clock today, or None."""
    if restart_on is None:
        return RESTART_NEEDED
    calendar = calendar_for(deadline.case)
    today = calendar.local_date(timezone.now())
    days = deadline.case.rulebook.spec.clock_stops.max_days
    latest = today + dt.timedelta(days=days)
    if restart_on <= today:
        return RESTART_NOT_FUTURE
    if restart_on > latest:
        return RESTART_TOO_LATE.format(days=days, latest=f"{latest:%-d %B %Y}")
    return None


def _stop_takes_effect(*, actor: Any, stop: ClockStop, deadline: Deadline) -> None:
    """The clock stops now: the limit pauses, and the stop's escalation is set."""
    now = timezone.now()
    rules = deadline.case.rulebook.spec.clock_stops
    clock_stop_now(deadline, at=now, reasons=stop.reasons)
    stop.status, stop.started_at = ClockStop.Status.STOPPED, now
    stop.escalates_at = now + dt.timedelta(days=rules.escalate_after_days)
    stop.save(update_fields=["status", "started_at", "escalates_at"])
    event_append(
        actor=actor,
        kind=EventKind.DEADLINE_PAUSED,
        case_id=deadline.case_id,
        payload={
            "deadline": deadline.pk,
            "kind": deadline.kind,
            "clock_stop": stop.pk,
            "restart_on": stop.restart_on.isoformat(),
            "reasons_sha256": content_hash(stop.reasons),
        },
    )


@transaction.atomic
def deadline_pause(
    *, actor: Any, deadline: Deadline, reasons: str, restart_on: dt.date | None
) -> ClockStop:
    """Ask for a running limit's clock to stop until `restart_on`. Where the rulebook asks for
    approval, the request waits (the clock runs on) for `clock_stop_approve`; otherwise the
    clock stops at once."""
    reasons = reasons.strip()
    if not reasons:
        raise DeadlineError(STOP_NEEDS_REASONS)
    deadline = (
        Deadline.objects.select_for_update().select_related("case__rulebook").get(pk=deadline.pk)
    )
    if deadline.awaits_service:
        raise DeadlineError(AWAITS_SERVICE)
    if deadline.status != Deadline.Status.OPEN:
        raise DeadlineError(NOT_RUNNING)
    refusal = restart_date_refusal(deadline, restart_on)
    if refusal:
        raise DeadlineError(refusal)
    assert restart_on is not None
    if ClockStop.objects.filter(deadline=deadline, status=ClockStop.Status.REQUESTED).exists():
        raise DeadlineError(ALREADY_ASKED)
    calendar = calendar_for(deadline.case)
    stop = ClockStop.objects.create(
        deadline=deadline,
        case_id=deadline.case_id,
        status=ClockStop.Status.REQUESTED,
        reasons=reasons,
        restart_on=restart_on,
        restarts_at=dt.datetime.combine(restart_on, dt.time.min, tzinfo=calendar.tz),
        requested_by=actor,
    )
    if not deadline.case.rulebook.spec.clock_stops.approval:
        _stop_takes_effect(actor=actor, stop=stop, deadline=deadline)
        return stop
    event_append(
        actor=actor,
        kind=EventKind.CLOCK_STOP_REQUESTED,
        case_id=deadline.case_id,
        payload={
            "clock_stop": stop.pk,
            "deadline": deadline.pk,
            "kind": deadline.kind,
            "restart_on": restart_on.isoformat(),
            "reasons_sha256": content_hash(reasons),
        },
    )
    return stop


def _decidable(actor: Any, stop: ClockStop, reasons: str) -> ClockStop:
    """The stop, locked, if this person may decide it now (inside the caller's transaction)."""
    stop = (
        ClockStop.objects.select_for_update()
        .select_related("case__rulebook", "deadline")
        .get(pk=stop.pk)
    )
    refusal = clock_stop_decider_refusal(actor, stop)
    if refusal:
        raise DeadlineError(refusal)
    if stop.status != ClockStop.Status.REQUESTED:
        raise DeadlineError(NOT_AWAITING)
    if not reasons.strip():
        raise DeadlineError(DECISION_NEEDS_REASONS)
    return stop


def _decision_payload(stop: ClockStop, reasons: str) -> dict[str, Any]:
    return {
        "clock_stop": stop.pk,
        "deadline": stop.deadline_id,
        "kind": stop.deadline.kind,
        "requested_by": stop.requested_by_id,
        "reasons_sha256": content_hash(reasons),
    }


@transaction.atomic
def clock_stop_approve(*, actor: Any, stop: ClockStop, reasons: str) -> ClockStop:
    """Approve a requested clock stop, with reasons: the clock stops now, until its date."""
    stop = _decidable(actor, stop, reasons)
    deadline = (
        Deadline.objects.select_for_update()
        .select_related("case__rulebook")
        .get(pk=stop.deadline_id)
    )
    if deadline.status != Deadline.Status.OPEN:
        raise DeadlineError(NOT_RUNNING)
    if stop.restart_on <= calendar_for(deadline.case).local_date(timezone.now()):
        raise DeadlineError(RESTART_PASSED)
    stop.decided_by, stop.decided_at = actor, timezone.now()
    stop.decision_reasons = reasons.strip()
    stop.save(update_fields=["decided_by", "decided_at", "decision_reasons"])
    event_append(
        actor=actor,
        kind=EventKind.CLOCK_STOP_APPROVED,
        case_id=stop.case_id,
        payload=_decision_payload(stop, reasons.strip()),
    )
    _stop_takes_effect(actor=actor, stop=stop, deadline=deadline)
    return stop


@transaction.atomic
def clock_stop_decline(*, actor: Any, stop: ClockStop, reasons: str) -> ClockStop:
    """Decline a requested clock stop, with reasons: the clock runs on as it was."""
    stop = _decidable(actor, stop, reasons)
    stop.status = ClockStop.Status.DECLINED
    stop.decided_by, stop.decided_at = actor, timezone.now()
    stop.decision_reasons = reasons.strip()
    stop.save(update_fields=["status", "decided_by", "decided_at", "decision_reasons"])
    event_append(
        actor=actor,
        kind=EventKind.CLOCK_STOP_DECLINED,
        case_id=stop.case_id,
        payload=_decision_payload(stop, reasons.strip()),
    )
    return stop


@dataclass
class ClockStopSweep:
    restarted: int = 0
    escalated: int = 0


def _restart_on_date(stop: ClockStop) -> bool:
    with transaction.atomic():
        # Conditional UPDATE: if nothing got updated, staff or another worker got there first.
        claimed = ClockStop.objects.filter(pk=stop.pk, status=ClockStop.Status.STOPPED).update(
            status=ClockStop.Status.ENDED, ended_at=stop.restarts_at, ending=ClockStop.Ending.DATE
        )
        if not claimed:
            return False
        deadline = (
            Deadline.objects.select_for_update()
            .select_related("case__rulebook")
            .get(pk=stop.deadline_id)
        )
        payload: dict[str, Any] = {
            "clock_stop": stop.pk,
            "deadline": deadline.pk,
            "kind": deadline.kind,
            "restart_on": stop.restart_on.isoformat(),
        }
        if deadline.status == Deadline.Status.PAUSED and not deadline.awaits_service:
            # From the start of the restart date, however late the sweep: the clock restarted
            # then, as if staff had restarted it that morning.
            payload["working_days_left"] = clock_restart(deadline, at=stop.restarts_at)
            payload["due_at"] = deadline.due_at.isoformat()
        event_append(
            actor=None,
            kind=EventKind.CLOCK_RESTARTED_ON_DATE,
            case_id=stop.case_id,
            payload=payload,
        )
        return True


def _escalate(stop: ClockStop, now: dt.datetime) -> bool:
    with transaction.atomic():
        claimed = ClockStop.objects.filter(
            pk=stop.pk, status=ClockStop.Status.STOPPED, escalated_at__isnull=True
        ).update(escalated_at=now)
        if not claimed:
            return False
        assert stop.started_at is not None
        event_append(
            actor=None,
            kind=EventKind.CLOCK_STOP_ESCALATED,
            case_id=stop.case_id,
            payload={
                "clock_stop": stop.pk,
                "deadline": stop.deadline_id,
                "started_at": stop.started_at.isoformat(),
                "restart_on": stop.restart_on.isoformat(),
                "days_stopped": int(stop.days_stopped(now)),
            },
        )
        return True


def clock_stops_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> ClockStopSweep:
    """Restart the clocks whose restart date has come, and escalate stops that have run longer
    than their rulebook allows before escalation (run by the worker's sweep)."""
    now = now or timezone.now()
    result = ClockStopSweep()
    due = ClockStop.objects.filter(status=ClockStop.Status.STOPPED, restarts_at__lte=now)
    for stop in due.order_by("restarts_at", "pk")[:batch]:
        if _restart_on_date(stop):
            result.restarted += 1
    long_stopped = ClockStop.objects.filter(
        status=ClockStop.Status.STOPPED, escalated_at__isnull=True, escalates_at__lte=now
    )
    for stop in long_stopped.order_by("escalates_at", "pk")[:batch]:
        if _escalate(stop, now):
            result.escalated += 1
    return result
