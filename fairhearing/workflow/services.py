"""Decisions that reach across apps, in one place above the apps they coordinate.

A case's decision is recorded by `cases` (its stage change); what follows from it belongs to
other apps: the time limits that follow the stage (`deadlines`), the panel's vote it needs
(`panels`), the hold until oversight verifies it (`oversight`), the letters and emails
(`notifications`), the membership system's webhooks (`webhooks`). Each of those apps sits
below this one, and none calls the others to carry a decision out: here is where they meet,
as one transaction per use case. Oversight's verification and veto (`oversight`, `cases` and
`panels`) are here too; stepping aside is in `bias.py`, a party's sign-in link in
`sign_in.py`.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.accounts.models import CASEWORK_ROLES
from fairhearing.cases.models import Assignment, Case, StageChange
from fairhearing.cases.queries import conduct_out_of_time
from fairhearing.cases.services import (
    ALREADY_ASSIGNED,
    BULK_MOST,
    BULK_SAME_PERSON,
    BULK_TOO_MANY,
    CASE_CLOSED,
    CONFLICTED,
    HEARING_NOT_AT_STAGE,
    HEARING_NOT_YET,
    HEARING_TOO_SOON,
    HEARING_TOO_SOON_BY_POST,
    NEEDS_HEARING,
    NEEDS_REASONS,
    NEEDS_RULE,
    NOT_ALLOWED_AT_STAGE,
    NOT_CASEWORKER,
    NOT_ON_TEAM,
    PANEL_NOT_READY,
    STEPPED_ASIDE,
    UNKNOWN_TRANSITION,
    UNTRAINED,
    WINDOW_STILL_OPEN,
    case_unassign,
    check_sanction,
    decision_time,
    out_of_time_message,
)
from fairhearing.compliance.services import conditions_for_decision
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.services import calendar_for, deadlines_follow_stage, served_on_for
from fairhearing.interests.queries import conflicts_for, excluded_from_case
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.notifications.services import (
    notifications_for_decision,
    notifications_for_hearing,
    notifications_for_survey,
)
from fairhearing.organisations.default_rulebook import CLOSED
from fairhearing.oversight.models import Verification
from fairhearing.oversight.services import verification_decide, verification_open
from fairhearing.panels.queries import active_seats, sitting_panel, training_missing
from fairhearing.panels.services import check_panel_vote, panel_dissolve
from fairhearing.webhooks.services import webhooks_for_decision


def requirements_check(
    case: Case,
    transition: str,
    requires: tuple[str, ...],
    *,
    sanction: str,
    sanction_ends_on: dt.date | None,
    now: dt.datetime,
) -> None:
    spec = case.rulebook.spec
    for requirement in requires:
        if requirement == "sanction":
            check_sanction(spec, sanction, sanction_ends_on, timezone.localdate(now))
        elif requirement == "hearing_scheduled":
            if case.hearing_at is None:
                raise CaseError(NEEDS_HEARING)
            if case.hearing_at > now:
                when = timezone.localtime(case.hearing_at)
                raise CaseError(HEARING_NOT_YET.format(when=f"{when:%-d %B %Y, %H:%M}"))
        elif requirement.startswith("panel_vote:"):
            problem = check_panel_vote(
                case, requirement.split(":", 1)[1], transition, sanction, sanction_ends_on
            )
            if problem:
                raise CaseError(problem)
        elif requirement.startswith("panel_seated:"):
            panel = sitting_panel(case, requirement.split(":", 1)[1])
            seats = list(active_seats(panel)) if panel else []
            size = int(spec.definition.get("panel", {}).get("size", 3))
            if len(seats) < size or not all(s.affirmed_at for s in seats):
                raise CaseError(PANEL_NOT_READY)
        elif requirement.startswith("deadline_expired:"):
            kind = requirement.split(":", 1)[1]
            running = case.deadlines.filter(kind=kind, status__in=["open", "paused"]).first()
            if running is not None and running.due_at >= now:
                local_due = timezone.localtime(running.due_at)
                raise CaseError(
                    WINDOW_STILL_OPEN.format(label=running.label, due=f"{local_due:%d %B %Y}")
                )
        else:
            raise CaseError(f"The rulebook names an unknown requirement: {requirement}")


@transaction.atomic
def case_transition(
    *,
    actor: Any,
    case: Case,
    transition: str,
    reasons: str,
    rule_applied: str,
    sanction: str = "",
    sanction_ends_on: dt.date | None = None,
    decided_at: dt.datetime | None = None,
) -> StageChange:
    """Move a case along one of its rulebook's transitions, recording the decision (R-20).

    Refuses moves the current stage does not allow, decisions without reasons or rule, and
    transitions whose requirements (a sanction, a held hearing, an ended window) are unmet.
    `decided_at` records a decision taken earlier (on paper, at a meeting); time limits run
    from it. The ledger event still carries the time it was recorded.
    """
    case = Case.objects.select_for_update().select_related("rulebook").get(pk=case.pk)
    spec = case.rulebook.spec
    move = spec.transitions.get(transition)
    if move is None:
        raise CaseError(UNKNOWN_TRANSITION)
    if case.is_closed:
        raise CaseError(CASE_CLOSED)
    if move.source != case.stage:
        raise CaseError(
            NOT_ALLOWED_AT_STAGE.format(label=move.label, stage=spec.stage_label(case.stage))
        )
    reasons, rule_applied = reasons.strip(), rule_applied.strip()
    if not reasons:
        raise CaseError(NEEDS_REASONS)
    if not rule_applied:
        raise CaseError(NEEDS_RULE)
    now = decision_time(case, decided_at)
    if "sanction" not in move.requires:
        sanction, sanction_ends_on = "", None
    if move.key in spec.conduct_limited_transitions:
        late = conduct_out_of_time(case, timezone.localdate(now))
        if late is not None and late.barred:
            raise CaseError(out_of_time_message(case, late, move.label))
    requirements_check(
        case, move.key, move.requires, sanction=sanction, sanction_ends_on=sanction_ends_on, now=now
    )
    change = StageChange.objects.create(
        case=case,
        transition=move.key,
        from_stage=case.stage,
        to_stage=move.target,
        actor=actor,
        at=now,
        reasons=reasons,
        rule_applied=rule_applied,
        outcome=move.outcome,
        sanction=sanction,
        sanction_ends_on=sanction_ends_on,
    )
    held = spec.needs_verification(case.category, move.key)
    event_append(
        actor=actor,
        kind=EventKind.CASE_TRANSITIONED,
        case_id=case.pk,
        payload={
            "transition": move.key,
            "from": change.from_stage,
            "to": spec.verification_stage if held else change.to_stage,
            "held_for_verification": held,
            "stage_change": change.pk,
            "reasons_sha256": content_hash(reasons),
            "rule_applied": rule_applied,
            "outcome": move.outcome,
            "sanction": sanction,
            "sanction_ends_on": sanction_ends_on.isoformat() if sanction_ends_on else None,
        },
    )
    if held:
        # The decision is recorded but takes effect only when oversight verifies it.

        case_move(actor=actor, case=case, stage=spec.verification_stage, at=now)
        verification_open(actor=actor, change=change)
    else:
        case_apply_decision(actor=actor, case=case, change=change, at=now)
    return change


def case_move(*, actor: Any, case: Case, stage: str, at: dt.datetime) -> None:
    """Put the case at `stage` and let its time limits follow (inside the caller's transaction)."""
    case.stage, case.stage_entered_at = stage, at
    case.save(update_fields=["stage", "stage_entered_at"])
    deadlines_follow_stage(actor=actor, case=case, at=at)


def case_apply_decision(*, actor: Any, case: Case, change: StageChange, at: dt.datetime) -> None:
    """Give a recorded decision its effect: its stage, its sanction, its outcome."""
    update = []
    if change.sanction:
        case.sanction, case.sanction_ends_on = change.sanction, change.sanction_ends_on
        update += ["sanction", "sanction_ends_on"]
    if change.to_stage == CLOSED:
        case.outcome, case.closed_at = change.outcome, at
        update += ["outcome", "closed_at"]
    case.stage, case.stage_entered_at = change.to_stage, at
    case.save(update_fields=["stage", "stage_entered_at", *update])
    deadlines_follow_stage(actor=actor, case=case, at=at)

    conditions_for_decision(actor=actor, case=case, change=change)

    notifications_for_decision(case=case, change=change)
    if change.to_stage == CLOSED:
        notifications_for_survey(actor=actor, case=case)

    webhooks_for_decision(case=case, change=change)


def hearing_earliest(case: Case, scheduled_on: dt.date | None = None) -> dt.date:
    """The first day a hearing fixed on `scheduled_on` (today by default) may be held: the
    rulebook's minimum notice in working days, counted from the day the respondent is told.
    That is the same day by email; without one, the notice is a letter to post, counted from
    the day it is deemed served (the rulebook's `service_by_post_working_days` after posting
    on that day)."""
    calendar = calendar_for(case)
    scheduled_on = scheduled_on or calendar.local_date(timezone.now())
    told_on = scheduled_on if case.respondent.email else served_on_for(case, scheduled_on)
    return calendar.add_working_days(told_on, case.rulebook.spec.hearing_notice_min_working_days)


@transaction.atomic
def case_schedule_hearing(
    *,
    actor: Any,
    case: Case,
    hearing_at: dt.datetime,
    reasons: str = "",
    decided_at: dt.datetime | None = None,
) -> Case:
    """Fix the hearing date, giving at least the rulebook's notice in working days, counted
    from when the respondent is told (`hearing_earliest`)."""
    case = Case.objects.select_for_update().select_related("rulebook").get(pk=case.pk)
    if case.stage != "hearing":
        raise CaseError(HEARING_NOT_AT_STAGE)
    spec = case.rulebook.spec
    calendar = calendar_for(case)
    now = decision_time(case, decided_at)
    earliest = hearing_earliest(case, calendar.local_date(now))
    if calendar.local_date(hearing_at) < earliest:
        raise CaseError(
            (HEARING_TOO_SOON if case.respondent.email else HEARING_TOO_SOON_BY_POST).format(
                days=spec.hearing_notice_min_working_days,
                earliest=f"{earliest:%-d %B %Y}",
                post_days=spec.service_by_post_working_days,
            )
        )
    case.hearing_at, case.hearing_notice_sent_at = hearing_at, now
    case.save(update_fields=["hearing_at", "hearing_notice_sent_at"])

    notifications_for_hearing(case=case)
    event_append(
        actor=actor,
        kind=EventKind.HEARING_SCHEDULED,
        case_id=case.pk,
        payload={
            "hearing_at": hearing_at.isoformat(),
            "notice_sent_at": now.isoformat(),
            "reasons_sha256": content_hash(reasons.strip()) if reasons.strip() else None,
        },
    )
    return case


def case_assign_refusal(case: Case, user: Any, role: str) -> str | None:
    """Why `user` may not join this case's team as `role`, in people's words; None if they may
    (R-25: nobody too close to the case; R-64: nobody without current training)."""
    if case.is_closed:
        return CASE_CLOSED
    if user.role not in CASEWORK_ROLES:
        return NOT_CASEWORKER
    if user.pk in excluded_from_case(case):
        return STEPPED_ASIDE.format(name=user.display_name)
    conflicts = conflicts_for(user, case)
    if conflicts:
        return CONFLICTED.format(name=user.display_name, why="; ".join(conflicts))
    missing = training_missing(user, case.rulebook.spec.training_required("case_team"))
    if missing:
        return UNTRAINED.format(name=user.display_name, missing="; ".join(missing))
    if Assignment.objects.filter(case=case, user=user, role=role, ended_at__isnull=True).exists():
        return ALREADY_ASSIGNED.format(name=user.display_name, role=Assignment.Role(role).label)
    return None


@transaction.atomic
def case_assign(*, actor: Any, case: Case, user: Any, role: str, reasons: str = "") -> Assignment:
    """Put a member of staff on the case team, unless they may not join it
    (`case_assign_refusal`). `reasons`, when given, are kept with the assignment and their hash
    goes on the ledger."""

    refusal = case_assign_refusal(case, user, role)
    if refusal:
        raise CaseError(refusal)
    reasons = reasons.strip()
    assignment = Assignment.objects.create(case=case, user=user, role=role, reasons=reasons)
    payload: dict[str, Any] = {"assignment": assignment.pk, "user": user.pk, "role": role}
    if reasons:
        payload["reasons_sha256"] = content_hash(reasons)
    event_append(actor=actor, kind=EventKind.CASE_ASSIGNED, case_id=case.pk, payload=payload)
    return assignment


@dataclass(frozen=True)
class BulkOutcome:
    """What became of one case of a bulk assignment: done, or refused and why."""

    case: Case
    refused: str = ""


def bulk_assign_problem(
    *, count: int, user: Any, replacing: Any | None, reasons: str
) -> str | None:
    """What is wrong with a bulk assignment as a whole, before any case is looked at."""
    if not reasons.strip():
        return NEEDS_REASONS
    if count > BULK_MOST:
        return BULK_TOO_MANY.format(most=BULK_MOST, count=count)
    if replacing is not None and replacing.pk == user.pk:
        return BULK_SAME_PERSON
    return None


def case_replacement_refusal(case: Case, user: Any, role: str, replacing: Any | None) -> str | None:
    """Why this case of a bulk assignment would be refused: the rules of `case_assign`, and,
    when someone is being replaced, that they are on the case team to leave it."""
    refusal = case_assign_refusal(case, user, role)
    if refusal is None and replacing is not None:
        on_team = Assignment.objects.filter(case=case, user=replacing, ended_at__isnull=True)
        if not on_team.exists():
            refusal = NOT_ON_TEAM.format(name=replacing.display_name)
    return refusal


@transaction.atomic
def cases_bulk_assign(
    *,
    actor: Any,
    cases: list[Case],
    user: Any,
    role: str,
    replacing: Any | None = None,
    reasons: str,
) -> list[BulkOutcome]:
    """Put `user` on each case's team as `role`, ending `replacing`'s place on it if given (a
    colleague who is leaving): one decision per case with the same reasons, each in its own
    savepoint, so that a case the rules refuse (`case_replacement_refusal`) is reported and the
    others go through. The cases must have been reached through `cases.access`.

    Each case's writes are `case_unassign`'s and `case_assign`'s, with their ledger events."""
    problem = bulk_assign_problem(count=len(cases), user=user, replacing=replacing, reasons=reasons)
    if problem:
        raise CaseError(problem)
    outcomes = []
    for case in cases:
        try:
            with transaction.atomic():
                locked = Case.objects.select_for_update().get(pk=case.pk)
                refusal = case_replacement_refusal(locked, user, role, replacing)
                if refusal:
                    raise CaseError(refusal)
                if replacing is not None:
                    for leaving in Assignment.objects.filter(
                        case=locked, user=replacing, ended_at__isnull=True
                    ).order_by("pk"):
                        case_unassign(actor=actor, assignment=leaving, reasons=reasons)
                case_assign(actor=actor, case=locked, user=user, role=role, reasons=reasons)
        except CaseError as refused:
            outcomes.append(BulkOutcome(case, str(refused)))
        else:
            outcomes.append(BulkOutcome(case))
    return outcomes


@transaction.atomic
def verification_verify(
    *, actor: Any, verification: Verification, reasons: str, decided_at: dt.datetime | None = None
) -> Verification:
    """Oversight verifies the held decision, which takes effect then."""
    verification = verification_decide(
        actor=actor,
        verification=verification,
        verified=True,
        reasons=reasons,
        decided_at=decided_at,
    )
    assert verification.decided_at is not None
    case_apply_decision(
        actor=actor,
        case=verification.case,
        change=verification.stage_change,
        at=verification.decided_at,
    )
    return verification


@transaction.atomic
def verification_veto(
    *, actor: Any, verification: Verification, reasons: str, decided_at: dt.datetime | None = None
) -> Verification:
    """Oversight vetoes the held decision: the panel is dissolved and the case goes back to a
    hearing before a fresh panel (whose members cannot include the first panel's)."""
    verification = verification_decide(
        actor=actor,
        verification=verification,
        verified=False,
        reasons=reasons,
        decided_at=decided_at,
    )
    case, now = verification.case, verification.decided_at
    assert now is not None
    panel = sitting_panel(case, "hearing")
    if panel is not None:
        panel_dissolve(actor=actor, panel=panel, reasons="Decision vetoed by oversight.")
    case.hearing_at, case.hearing_notice_sent_at = None, None
    case.save(update_fields=["hearing_at", "hearing_notice_sent_at"])
    case_move(actor=actor, case=case, stage=case.rulebook.spec.veto_returns_to, at=now)
    return verification
