"""Opening, closing, pausing and sweeping deadlines. Each write appends its ledger event."""

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from fairhearing.core.bulk import insert_many
from fairhearing.core.errors import CaseError
from fairhearing.core.mail import stable_message_id
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.worker import faults

from .calendar import WorkingCalendar
from .models import ClockStop, Deadline

if TYPE_CHECKING:
    from fairhearing.cases.models import Case

log = logging.getLogger(__name__)

RESUME_NEEDS_REASONS = "Give the reasons for restarting the clock."
NOT_RUNNING = "Only a running time limit can be paused."
NOT_PAUSED = "Only a paused time limit can be restarted."
AWAITS_SERVICE = (
    "Starts when the letter telling the respondent is served: they have no email address."
)
STARTS_ON_SERVICE = (
    "This time limit starts when the letter is served: record the letter as posted instead."
)


class DeadlineError(CaseError):
    pass


def calendar_for(case: "Case") -> WorkingCalendar:
    country, subdivision = case.rulebook.spec.calendar
    return WorkingCalendar(country, subdivision)


def _next_reminder_at(deadline: Deadline, percentages: list[int]) -> dt.datetime | None:
    if deadline.binds != Deadline.Binds.ORGANISATION:
        return None
    span = deadline.due_at - deadline.started_at
    for percent in percentages:
        if percent > deadline.reminded_percent:
            return deadline.started_at + span * percent / 100
    return None


def deadlines_follow_stage(*, actor: Any, case: "Case", at: dt.datetime) -> None:
    """Close the limits the case's new stage leaves behind and open the ones it enters."""
    spec = case.rulebook.spec
    running = {
        d.kind: d for d in case.deadlines.filter(status__in=["open", "paused"], stage_bound=True)
    }
    wanted = {lim.kind: lim for lim in spec.limits_for_stage(case.stage)}
    for kind, deadline in running.items():
        if kind not in wanted:
            Deadline.objects.filter(pk=deadline.pk).update(
                status=Deadline.Status.CLOSED, closed_at=at
            )
            clock_stops_end_with([deadline.pk], at)
            event_append(
                actor=actor,
                kind=EventKind.DEADLINE_MET
                if at <= deadline.due_at
                else EventKind.DEADLINE_CANCELLED,
                case_id=case.pk,
                payload={"deadline": deadline.pk, "kind": kind, "met": at <= deadline.due_at},
            )
    calendar = calendar_for(case)
    for deadline in stage_deadlines_new(case, at, calendar, skip=set(running)):
        deadline.save()
        event_append(
            actor=actor,
            kind=EventKind.DEADLINE_OPENED,
            case_id=case.pk,
            payload=deadline_opened_payload(deadline),
        )


def stage_deadlines_new(
    case: "Case", at: dt.datetime, calendar: WorkingCalendar, *, skip: set[str] | None = None
) -> list[Deadline]:
    """The limits the case's stage starts at `at`, unsaved (a dossier saves many at once)."""
    spec = case.rulebook.spec
    made = []
    for limit in spec.limits_for_stage(case.stage):
        if skip and limit.kind in skip:
            continue
        deadline = Deadline(
            case=case,
            kind=limit.kind,
            label=limit.label,
            binds=limit.binds,
            working_days=limit.working_days,
            started_at=at,
            due_at=calendar.due_at(at, limit.working_days),
        )
        if limit.binds == Deadline.Binds.RESPONDENT and not case.respondent.email:
            # They are told by a letter for post (notifications): the clock waits for it.
            deadline.status, deadline.awaits_service = Deadline.Status.PAUSED, True
            deadline.paused_at, deadline.pause_reasons = at, AWAITS_SERVICE
        else:
            deadline.next_reminder_at = _next_reminder_at(deadline, spec.reminder_percentages)
        made.append(deadline)
    return made


def stage_deadlines_open_many(
    starts: list[tuple["Case", dt.datetime]], *, skip: dict[int, set[str]] | None = None
) -> list[list[Deadline]]:
    """The limits each case's stage starts, from when it entered it, written at once (in the
    caller's transaction): many complaints or a chunk of a dossier, as `deadlines_follow_stage`
    writes them for one. Their DEADLINE_OPENED events are the caller's to append, in its own
    ledger order (`deadline_opened_payload`). `skip`: kinds already running, by case."""
    calendars: dict[int, WorkingCalendar] = {}
    made = []
    for case, at in starts:
        if case.rulebook_id not in calendars:  # one calendar a rulebook, made once
            calendars[case.rulebook_id] = calendar_for(case)
        made.append(
            stage_deadlines_new(
                case, at, calendars[case.rulebook_id], skip=(skip or {}).get(case.pk)
            )
        )
    insert_many([deadline for limits in made for deadline in limits])
    return made


def stage_deadlines_close_many(deadlines: list[Deadline], at: dt.datetime) -> None:
    """Close running limits whose stage the case has left (in the caller's transaction); the
    DEADLINE_MET or DEADLINE_CANCELLED events are the caller's to append."""
    if deadlines:
        Deadline.objects.filter(pk__in=[d.pk for d in deadlines]).update(
            status=Deadline.Status.CLOSED, closed_at=at
        )
        clock_stops_end_with([d.pk for d in deadlines], at)


def clock_stops_end_with(deadline_ids: list[int], at: dt.datetime) -> None:
    """A time limit that ends (its stage is left) ends its clock stop with it, and a stop still
    awaiting a decision lapses: the limit's closing event (DEADLINE_MET or _CANCELLED, in the
    caller's transaction) is what the ledger records of both."""
    live = ClockStop.objects.filter(deadline_id__in=deadline_ids)
    live.filter(status=ClockStop.Status.STOPPED).update(
        status=ClockStop.Status.ENDED, ended_at=at, ending=ClockStop.Ending.CLOSED
    )
    live.filter(status=ClockStop.Status.REQUESTED).update(status=ClockStop.Status.LAPSED)


def served_on_for(case: "Case", posted_on: dt.date) -> dt.date:
    """The date a letter posted on `posted_on` is served, under the case's rulebook."""
    return calendar_for(case).add_working_days(
        posted_on, case.rulebook.spec.service_by_post_working_days
    )


def service_day_start(case: "Case", served_on: dt.date) -> dt.datetime:
    """The start of the day of service, on the organisation's calendar: a limit started then
    counts its working days from the next day, as one started by a decision does."""
    calendar = calendar_for(case)
    return dt.datetime.combine(served_on, dt.time.min, tzinfo=calendar.tz)


def deadlines_start_on_service(*, actor: Any, case: "Case", served_on: dt.date) -> list[Deadline]:
    """Start the case's limits that wait for a letter to be served, from the date of service
    (inside the caller's transaction). Limits already running are left as they are."""
    calendar = calendar_for(case)
    started = service_day_start(case, served_on)
    waiting = list(
        Deadline.objects.select_for_update().filter(
            case=case, awaits_service=True, status=Deadline.Status.PAUSED
        )
    )
    for deadline in waiting:
        deadline.status, deadline.awaits_service = Deadline.Status.OPEN, False
        deadline.paused_at, deadline.pause_reasons = None, ""
        deadline.started_at = started
        deadline.due_at = calendar.due_at(started, deadline.working_days)
        deadline.save(
            update_fields=[
                "status",
                "awaits_service",
                "paused_at",
                "pause_reasons",
                "started_at",
                "due_at",
            ]
        )
        event_append(
            actor=actor,
            kind=EventKind.TIME_LIMIT_STARTED_ON_SERVICE,
            case_id=case.pk,
            payload={
                "deadline": deadline.pk,
                "kind": deadline.kind,
                "served_on": served_on.isoformat(),
                "due_at": deadline.due_at.isoformat(),
            },
        )
    return waiting


def deadline_opened_payload(deadline: Deadline) -> dict[str, Any]:
    if deadline.awaits_service:  # no due date until the letter is served
        return {
            "deadline": deadline.pk,
            "kind": deadline.kind,
            "working_days": deadline.working_days,
            "awaits_service": True,
        }
    return {
        "deadline": deadline.pk,
        "kind": deadline.kind,
        "working_days": deadline.working_days,
        "due_at": deadline.due_at.isoformat(),
    }


def deadline_open(
    *, actor: Any, case: "Case", kind: str, label: str, working_days: int, at: dt.datetime
) -> Deadline:
    """A limit not tied to a stage (for example an interim suspension's review)."""
    deadline = Deadline(
        case=case,
        kind=kind,
        label=label,
        binds=Deadline.Binds.ORGANISATION,
        working_days=working_days,
        started_at=at,
        due_at=calendar_for(case).due_at(at, working_days),
        stage_bound=False,
    )
    deadline.next_reminder_at = _next_reminder_at(deadline, case.rulebook.spec.reminder_percentages)
    deadline.save()
    event_append(
        actor=actor,
        kind=EventKind.DEADLINE_OPENED,
        case_id=case.pk,
        payload={
            "deadline": deadline.pk,
            "kind": kind,
            "working_days": working_days,
            "due_at": deadline.due_at.isoformat(),
        },
    )
    return deadline


def deadline_close(*, actor: Any, deadline: Deadline, at: dt.datetime) -> None:
    Deadline.objects.filter(pk=deadline.pk).update(status=Deadline.Status.CLOSED, closed_at=at)
    clock_stops_end_with([deadline.pk], at)
    event_append(
        actor=actor,
        kind=EventKind.DEADLINE_MET if at <= deadline.due_at else EventKind.DEADLINE_CANCELLED,
        case_id=deadline.case_id,
        payload={"deadline": deadline.pk, "kind": deadline.kind, "met": at <= deadline.due_at},
    )


def clock_stop_now(deadline: Deadline, *, at: dt.datetime, reasons: str) -> None:
    """Stop a running clock at `at` (the caller holds its row lock and records the event)."""
    deadline.status = Deadline.Status.PAUSED
    deadline.paused_at = at
    deadline.pause_reasons = reasons
    deadline.next_reminder_at = None
    deadline.save(update_fields=["status", "paused_at", "pause_reasons", "next_reminder_at"])


def clock_restart(deadline: Deadline, *, at: dt.datetime) -> int:
    """Restart a stopped clock at `at` with the working days that were left when it stopped
    (the caller holds its row lock and records the event); returns those days."""
    assert deadline.paused_at is not None
    calendar = calendar_for(deadline.case)
    left = calendar.working_days_between(
        calendar.local_date(deadline.paused_at), calendar.local_date(deadline.due_at)
    )
    deadline.due_at = calendar.due_at(at, left)
    deadline.status = Deadline.Status.OPEN
    deadline.paused_at = None
    deadline.next_reminder_at = _next_reminder_at(
        deadline, deadline.case.rulebook.spec.reminder_percentages
    )
    deadline.save(update_fields=["due_at", "status", "paused_at", "next_reminder_at"])
    return left


@transaction.atomic
def deadlines_pause_merged(*, actor: Any, case: "Case", reasons: str) -> list[int]:
    """Stop the clocks of a case merged into another (`linking.case_merge`): its complaints
    are handled there, so they stay stopped until the merge is undone, which restarts them
    (`deadline_resume`). Not a clock stop asked for on a case of its own (`clock_stops`).
    Returns the ids of the limits stopped."""
    now = timezone.now()
    stopped = []
    for deadline in Deadline.objects.select_for_update().filter(
        case=case, status=Deadline.Status.OPEN
    ):
        clock_stop_now(deadline, at=now, reasons=reasons.strip())
        event_append(
            actor=actor,
            kind=EventKind.DEADLINE_PAUSED,
            case_id=case.pk,
            payload={
                "deadline": deadline.pk,
                "kind": deadline.kind,
                "merged": True,
                "reasons_sha256": content_hash(reasons.strip()),
            },
        )
        stopped.append(deadline.pk)
    return stopped


@transaction.atomic
def deadline_resume(*, actor: Any, deadline: Deadline, reasons: str) -> Deadline:
    """Restart the clock with the working days that were left when it was paused, before its
    restart date if it has one (ending its clock stop)."""
    if not reasons.strip():
        raise DeadlineError(RESUME_NEEDS_REASONS)
    deadline = (
        Deadline.objects.select_for_update().select_related("case__rulebook").get(pk=deadline.pk)
    )
    if deadline.status != Deadline.Status.PAUSED or deadline.paused_at is None:
        raise DeadlineError(NOT_PAUSED)
    if deadline.awaits_service:
        raise DeadlineError(STARTS_ON_SERVICE)
    now = timezone.now()
    left = clock_restart(deadline, at=now)
    payload: dict[str, Any] = {
        "deadline": deadline.pk,
        "kind": deadline.kind,
        "working_days_left": left,
        "due_at": deadline.due_at.isoformat(),
        "reasons_sha256": content_hash(reasons.strip()),
    }
    stop = ClockStop.objects.filter(deadline=deadline, status=ClockStop.Status.STOPPED).first()
    if stop is not None:
        stop.status, stop.ending = ClockStop.Status.ENDED, ClockStop.Ending.STAFF
        stop.ended_at, stop.ended_by = now, actor
        stop.save(update_fields=["status", "ending", "ended_at", "ended_by"])
        payload["clock_stop"] = stop.pk
    event_append(
        actor=actor, kind=EventKind.DEADLINE_RESUMED, case_id=deadline.case_id, payload=payload
    )
    return deadline


@dataclass
class SweepResult:
    breaches: int = 0
    expiries: int = 0
    reminders: int = 0


def _record_lapse(deadline: Deadline, now: dt.datetime) -> bool:
    with transaction.atomic():
        # Conditional UPDATE: if nothing got updated, another worker got there first.
        claimed = Deadline.objects.filter(
            pk=deadline.pk, status=Deadline.Status.OPEN, lapsed_at__isnull=True
        ).update(lapsed_at=now)
        if not claimed:
            return False
        breach = deadline.binds == Deadline.Binds.ORGANISATION
        event_append(
            actor=None,
            kind=EventKind.DEADLINE_BREACHED if breach else EventKind.DEADLINE_EXPIRED,
            case_id=deadline.case_id,
            payload={
                "deadline": deadline.pk,
                "kind": deadline.kind,
                "due_at": deadline.due_at.isoformat(),
            },
        )
        return True


def _send_reminder(deadline: Deadline, percent: int) -> bool:
    case = deadline.case
    with transaction.atomic():
        claimed = Deadline.objects.filter(
            pk=deadline.pk, status=Deadline.Status.OPEN, reminded_percent=deadline.reminded_percent
        ).update(reminded_percent=percent)
        if not claimed:
            return False
        deadline.reminded_percent = percent
        nxt = _next_reminder_at(deadline, case.rulebook.spec.reminder_percentages)
        Deadline.objects.filter(pk=deadline.pk).update(next_reminder_at=nxt)
        recipients = sorted(
            {
                a.user.email
                for a in case.assignments.filter(ended_at__isnull=True).select_related("user")
                if a.user.email
            }
        )
        context = {
            "deadline": deadline,
            "case": case,
            "percent": percent,
            "site_url": settings.SITE_URL,
        }
        # The email before the event: appending takes the ledger's lock, which must not be
        # held while a mail server answers. A crash between the two resends the reminder
        # (the claim is rolled back) with the same Message-ID, which mail clients show once.
        if recipients:
            message = EmailMultiAlternatives(
                subject=f"{case.reference}: {percent}% of the time for “{deadline.label}” has gone",
                body=render_to_string("deadlines/email/reminder.txt", context),
                to=recipients,
                headers={"Message-ID": stable_message_id("reminder", deadline.pk, percent)},
            )
            message.attach_alternative(
                render_to_string("deadlines/email/reminder.html", context), "text/html"
            )
            message.send()
        event_append(
            actor=None,
            kind=EventKind.REMINDER_SENT,
            case_id=case.pk,
            payload={
                "deadline": deadline.pk,
                "kind": deadline.kind,
                "percent": percent,
                "recipients": len(recipients),
            },
        )
        return True


def deadline_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> SweepResult:
    """Record lapsed limits once each and send reminders that have come due."""
    now = now or timezone.now()
    result = SweepResult()
    lapsed = Deadline.objects.filter(
        status=Deadline.Status.OPEN, lapsed_at__isnull=True, due_at__lt=now
    ).order_by("due_at")[:batch]
    for deadline in lapsed:
        if _record_lapse(deadline, now):
            if deadline.binds == Deadline.Binds.ORGANISATION:
                result.breaches += 1
            else:
                result.expiries += 1
            faults.checkpoint("sweep.lapse")
    due_reminders = (
        Deadline.objects.filter(status=Deadline.Status.OPEN, next_reminder_at__lte=now)
        .select_related("case__rulebook")
        .order_by("next_reminder_at")[:batch]
    )
    for deadline in due_reminders:
        if deadline.due_at < now:
            continue  # a breach, not a reminder, is what is owed now
        span = (deadline.due_at - deadline.started_at).total_seconds() or 1
        elapsed = 100 * (now - deadline.started_at).total_seconds() / span
        reached = [p for p in deadline.case.rulebook.spec.reminder_percentages if p <= elapsed]
        if (
            reached
            and max(reached) > deadline.reminded_percent
            and _send_reminder(deadline, max(reached))
        ):
            result.reminders += 1
    return result
