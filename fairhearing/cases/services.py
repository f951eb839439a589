"""Every write to complaints and cases. Each service is atomic and appends its ledger events
in the same transaction, so a failure writes nothing: no half-made case, no orphan event."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from fairhearing.accounts.models import CASEWORK_ROLES, Role
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.services import calendar_for, deadlines_follow_stage, served_on_for
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.default_rulebook import CLOSED
from fairhearing.organisations.models import Organisation, ReferenceCounter
from fairhearing.people.models import Person
from fairhearing.people.services import PersonDetails, person_find_or_create, person_from_details

from .models import (
    Allegation,
    Assignment,
    Case,
    Complaint,
    ConductLimitException,
    Party,
    StageChange,
)
from .queries import OutOfTime, conduct_out_of_time

# Messages are constants so that tests assert them exactly.
NEEDS_REASONS = "Give the reasons for this decision."
NEEDS_RULE = "Say which rule or criterion you applied."
NEEDS_RESPONDENT = "Name at least one person the complaint is about."
UNKNOWN_CATEGORY = "Choose a category from the list."
CASE_CLOSED = "This case is closed; nothing more can be done to it."
NOT_ALLOWED_AT_STAGE = "“{label}” is not possible while the case is at the stage “{stage}”."
UNKNOWN_TRANSITION = "That action does not exist in this case's rulebook."
NEEDS_SANCTION = "Choose a sanction from the rulebook's ladder."
NEEDS_SANCTION_END = "“{label}” must have an end date after today: there are no lifetime bans."
SANCTION_TOO_LONG = (
    "“{label}” may last at most {days} days under the rulebook: it must end by {latest}."
)
OUT_OF_TIME = (
    "{what}: the conduct alleged (the latest on {latest}) is older than the rulebook's time "
    "limit of {years} years for bringing charges (rulebook version {version}), which ran out on "
    "{expired}."
)
OUT_OF_TIME_EXCEPTION = " {who} may allow an exception, with reasons."
NO_EXCEPTION_ROUTE = "This case's rulebook names no exception to its time limit for charges."
EXCEPTION_NOT_YOURS = "Only {who} may allow an exception to the time limit for charges."
EXCEPTION_NOT_INDEPENDENT = (
    "You are on this case's team: an exception must be decided by someone independent of it."
)
EXCEPTION_NOT_NEEDED = "The conduct on this case is within the rulebook's time limit for charges."
EXCEPTION_ALREADY = "An exception to the time limit has already been allowed on this case."
HEARING_NOT_YET = (
    "The hearing is scheduled for {when}: it can be recorded as held only once that time has come."
)
NEEDS_HEARING = "Schedule the hearing before recording that it was held."
WINDOW_STILL_OPEN = "“{label}” has not ended yet: it runs until {due}."
HEARING_NOT_AT_STAGE = "A hearing can only be scheduled while the case is at the hearing stage."
DECIDED_AT_OUT_OF_RANGE = (
    "A decision recorded after the fact must be dated between the start of the current stage "
    "and now."
)
HEARING_TOO_SOON = (
    "The hearing must be at least {days} working days after the notice: {earliest} at the earliest."
)
HEARING_TOO_SOON_BY_POST = (
    "The hearing must be on or after {earliest}: {days} working days' notice, counted from when "
    "the letter is deemed served, {post_days} working days after posting."
)
UNKNOWN_RULES = "Not in this case's rulebook: {refs}."
ALREADY_A_PARTY = "{name} is already a {role} in this case."
CONFLICTED = "{name} cannot join this case: {why}."
UNTRAINED = "{name} holds no current training and cannot be assigned until it is renewed (R-64)."
STEPPED_ASIDE = "{name} has stepped aside from this case and cannot rejoin it."
PANEL_NOT_READY = "The panel must be complete, each member having affirmed no conflict."
NOT_CASEWORKER = "Only case officers and investigators can join a case team."
ALREADY_ASSIGNED = "{name} is already on this case team as {role}."


@dataclass(frozen=True)
class AllegationDetails:
    allegation_type: str
    category: str
    description: str
    conduct_date: dt.date | None = None
    url: str = ""
    conduct_rule_refs: list[str] = field(default_factory=list)
    # The words of the post complained about, if captured: finds the same post reported again.
    post_text: str = ""


COUNTERS = frozenset({"next_complaint_number", "next_case_number"})


def _next_number(organisation: Organisation, counter: str, count: int = 1) -> int:
    """Take the next `count` numbers (returns the first): one upsert ... RETURNING (both
    databases support it) on the counter's own row, which holds that row until the
    transaction ends, so no two share a number and a rolled-back one is not skipped."""
    if counter not in COUNTERS or count < 1:
        raise ValueError(counter)
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            # `table` is ours and the values are parameters: no outside text reaches the SQL.
            f"INSERT INTO {table} (organisation_id, name, next) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (organisation_id, name) DO UPDATE SET next = {table}.next + %s "
            "RETURNING next",
            [organisation.pk, counter, 1 + count, count],
        )
        value: int = cursor.fetchone()[0]
    return value - count


def _reference(organisation: Organisation, counter: str, at: dt.datetime, kind: str) -> str:
    return references_take(organisation, counter, at, kind, 1)[0]


def references_take(
    organisation: Organisation, counter: str, at: dt.datetime, kind: str, count: int
) -> list[str]:
    """`count` new references: complaints ("C") or cases ("")."""
    if count == 0:
        return []
    first = _next_number(organisation, counter, count)
    return [
        f"{organisation.reference_prefix}{kind}-{at.year}-{number:05d}"
        for number in range(first, first + count)
    ]


def complaint_received_payload(complaint: Complaint, *, respondents: int) -> dict[str, Any]:
    """The COMPLAINT_RECEIVED event's payload (also written by the dossier fast path and the
    benchmark generator: one definition, so the three cannot drift)."""
    return {
        "complaint": complaint.pk,
        "reference": complaint.reference,
        "channel": complaint.channel,
        "respondents": respondents,
        "summary_sha256": content_hash(complaint.summary),
    }


def case_opened_payload(
    case: Case, *, complaint: Complaint, allegation: Allegation
) -> dict[str, Any]:
    """The CASE_OPENED event's payload, for a case at its first stage."""
    return {
        "complaint": complaint.pk,
        "reference": case.reference,
        "respondent": case.respondent_id,
        "allegation": allegation.pk,
        "allegation_type": allegation.allegation_type,
        "category": allegation.category,
        "rulebook": case.rulebook_id,
        "rulebook_version": case.rulebook.version,
        "stage": case.rulebook.spec.first_stage,
    }


@transaction.atomic
def complaint_record(
    *,
    actor: Any,
    organisation: Organisation,
    channel: str,
    complainant: PersonDetails | Person,
    respondents: list[PersonDetails],
    allegation: AllegationDetails,
    summary: str,
    received_at: dt.datetime | None = None,
    reference: str | None = None,
) -> Complaint:
    """Record what arrived and open one case per person it is about (R-01, R-07).

    The complainant is described (and found or created), or a known person (a dossier's
    sending organisation, the same for every row). `reference` is the complaint's, when it was
    taken on acceptance (a queued submission); otherwise the next is taken here."""
    if not respondents:
        raise CaseError(NEEDS_RESPONDENT)
    rulebook = organisation.current_rulebook()
    spec = rulebook.spec
    if allegation.category not in spec.categories:
        raise CaseError(UNKNOWN_CATEGORY)
    at = received_at or timezone.now()
    complainant_person = (
        complainant
        if isinstance(complainant, Person)
        else person_find_or_create(actor=actor, organisation=organisation, details=complainant)
    )
    complaint = Complaint(
        organisation=organisation,
        reference=reference or _reference(organisation, "next_complaint_number", at, "C"),
        received_at=at,
        channel=channel,
        complainant=complainant_person,
        summary=summary,
        recorded_by=actor,
    )
    # Field checks only: the related rows were just found or made, and the database enforces
    # the reference's uniqueness (each would otherwise cost a query).
    complaint.full_clean(exclude=["organisation", "complainant", "recorded_by", "reference"])
    complaint.save()
    complaint.received_event = event_append(
        actor=actor,
        kind=EventKind.COMPLAINT_RECEIVED,
        payload=complaint_received_payload(complaint, respondents=len(respondents)),
    )
    from fairhearing.evidence.posts import post_key
    from fairhearing.linking.models import Fingerprint
    from fairhearing.linking.queries import same_post_case
    from fairhearing.linking.services import complaint_group, fingerprint_record

    key = post_key(allegation.url)
    for details in respondents:
        # The same post about the same person, already open: one case, many complainants.
        found = (
            same_post_case(
                organisation=organisation,
                respondent=details,
                post_key=key,
                post_text=allegation.post_text,
            )
            if key or allegation.post_text
            else None
        )
        if found is not None:
            existing, reason, score = found
            complaint_group(
                actor=actor,
                complaint=complaint,
                case=existing,
                reason=reason,
                score=score,
                text=allegation.description,
            )
            continue
        respondent = person_find_or_create(actor=actor, organisation=organisation, details=details)
        case = Case.objects.create(
            organisation=organisation,
            reference=_reference(organisation, "next_case_number", at, ""),
            rulebook=rulebook,
            respondent=respondent,
            category=allegation.category,
            stage=spec.first_stage,
            stage_entered_at=at,
            opened_at=at,
        )
        case.complaints.add(complaint)
        Party.objects.create(
            case=case, person=complainant_person, role=Party.Role.COMPLAINANT, complaint=complaint
        )
        recorded = allegation_from_details(allegation, case=case)
        recorded.full_clean(exclude=["case"])
        recorded.save()
        event_append(
            actor=actor,
            kind=EventKind.CASE_OPENED,
            case_id=case.pk,
            payload=case_opened_payload(case, complaint=complaint, allegation=recorded),
        )
        fingerprint_record(
            case=case,
            source=Fingerprint.Source.ALLEGATION,
            source_id=recorded.pk,
            post_key=key,
            # The post's own words when captured (a dossier's descriptions are often the same
            # boilerplate on every row), else the complainant's account.
            text=allegation.post_text or allegation.description,
        )
        deadlines_follow_stage(actor=actor, case=case, at=at)
    return complaint


def allegation_from_details(details: AllegationDetails, *, case: Case | None = None) -> Allegation:
    """The allegation `details` describe, not saved."""
    return Allegation(
        case=case,
        allegation_type=details.allegation_type,
        category=details.category,
        description=details.description,
        conduct_date=details.conduct_date,
        url=details.url,
        conduct_rule_refs=list(details.conduct_rule_refs),
    )


def complaint_check(
    *,
    organisation: Organisation,
    channel: str,
    complainant: PersonDetails,
    respondents: list[PersonDetails],
    allegation: AllegationDetails,
    summary: str,
) -> None:
    """What `complaint_record` would refuse, checked without writing (`CaseError` or Django's
    `ValidationError`): a queued complaint is accepted only if it can be recorded as sent.
    The same objects and field checks as recording, built by the same helpers."""
    if not respondents:
        raise CaseError(NEEDS_RESPONDENT)
    if allegation.category not in organisation.current_rulebook_spec().categories:
        raise CaseError(UNKNOWN_CATEGORY)
    for details in [complainant, *respondents]:
        person_from_details(organisation=organisation, details=details).full_clean(
            exclude=["organisation", "branch"], validate_unique=False, validate_constraints=False
        )
    Complaint(organisation=organisation, channel=channel, summary=summary).full_clean(
        exclude=["organisation", "complainant", "recorded_by", "reference"],
        validate_unique=False,
    )
    allegation_from_details(allegation).full_clean(exclude=["case"], validate_unique=False)


def decision_time(case: Case, decided_at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if decided_at is None:
        return now
    if not case.stage_entered_at <= decided_at <= now:
        raise CaseError(DECIDED_AT_OUT_OF_RANGE)
    return decided_at


def check_sanction(spec: Any, sanction: str, ends_on: dt.date | None, on: dt.date) -> None:
    """Refuse a sanction the rulebook does not have, or whose end is missing, past, or later
    than the rulebook's maximum counted from `on` (the day of the decision or vote)."""
    chosen = spec.sanctions.get(sanction)
    if chosen is None:
        raise CaseError(NEEDS_SANCTION)
    if not chosen.requires_end_date:
        return
    if ends_on is None or ends_on <= on:
        raise CaseError(NEEDS_SANCTION_END.format(label=chosen.label))
    if chosen.max_days is not None and ends_on > on + dt.timedelta(days=chosen.max_days):
        latest = on + dt.timedelta(days=chosen.max_days)
        raise CaseError(
            SANCTION_TOO_LONG.format(
                label=chosen.label, days=chosen.max_days, latest=f"{latest:%-d %B %Y}"
            )
        )


def _check_requirements(
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
            from fairhearing.panels.services import check_panel_vote

            problem = check_panel_vote(
                case, requirement.split(":", 1)[1], transition, sanction, sanction_ends_on
            )
            if problem:
                raise CaseError(problem)
        elif requirement.startswith("panel_seated:"):
            from fairhearing.panels.queries import active_seats, sitting_panel

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


def out_of_time_message(case: Case, late: OutOfTime, label: str = "") -> str:
    """Why a decision bringing charges (`label`, or any) is barred, citing the rule, the dates
    and any exception route."""
    message = OUT_OF_TIME.format(
        what=f"“{label}” is not possible" if label else "No charges can be brought",
        latest=f"{late.latest_conduct:%-d %B %Y}",
        years=late.years,
        version=case.rulebook.version,
        expired=f"{late.expired_on:%-d %B %Y}",
    )
    roles = case.rulebook.spec.conduct_exception_roles
    if roles:
        message += OUT_OF_TIME_EXCEPTION.format(who=_roles_in_words(roles))
    return message


def _roles_in_words(roles: frozenset[str]) -> str:
    words = sorted(str(Role(r).label) if r in Role.values else r for r in roles)
    return " or ".join(words)


def conduct_exception_refusal(actor: Any, case: Case) -> str | None:
    """Why this person may not allow an exception to the time limit on this case, or None."""
    roles = case.rulebook.spec.conduct_exception_roles
    if not roles:
        return NO_EXCEPTION_ROUTE
    if getattr(actor, "role", None) not in roles or actor.organisation_id != case.organisation_id:
        return EXCEPTION_NOT_YOURS.format(who=_roles_in_words(roles))
    if case.assignments.filter(user=actor, ended_at__isnull=True).exists():
        return EXCEPTION_NOT_INDEPENDENT
    return None


@transaction.atomic
def conduct_exception_allow(
    *, actor: Any, case: Case, reasons: str, rule_applied: str
) -> ConductLimitException:
    """Allow charges about conduct older than the time limit (R-29): a decision of its own,
    by a role the rulebook names, independent of the case team, with reasons."""
    case = Case.objects.select_for_update().select_related("rulebook").get(pk=case.pk)
    refusal = conduct_exception_refusal(actor, case)
    if refusal:
        raise CaseError(refusal)
    late = conduct_out_of_time(case)
    if late is None:
        raise CaseError(EXCEPTION_NOT_NEEDED)
    if late.exception is not None:
        raise CaseError(EXCEPTION_ALREADY)
    reasons, rule_applied = reasons.strip(), rule_applied.strip()
    if not reasons:
        raise CaseError(NEEDS_REASONS)
    if not rule_applied:
        raise CaseError(NEEDS_RULE)
    exception = ConductLimitException.objects.create(
        case=case, decided_by=actor, reasons=reasons, rule_applied=rule_applied
    )
    event_append(
        actor=actor,
        kind=EventKind.CONDUCT_TIME_LIMIT_WAIVED,
        case_id=case.pk,
        payload={
            "exception": exception.pk,
            "latest_conduct": late.latest_conduct.isoformat(),
            "limit_years": late.years,
            "expired_on": late.expired_on.isoformat(),
            "reasons_sha256": content_hash(reasons),
            "rule_applied": rule_applied,
        },
    )
    return exception


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
    _check_requirements(
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
        from fairhearing.oversight.services import verification_open

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
    from fairhearing.notifications.services import notifications_for_decision

    notifications_for_decision(case=case, change=change)
    from fairhearing.webhooks.services import webhooks_for_decision

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
    from fairhearing.notifications.services import notifications_for_hearing

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


@transaction.atomic
def case_assign(*, actor: Any, case: Case, user: Any, role: str) -> Assignment:
    """Put a member of staff on the case team, unless they are too close to it (R-25)."""
    from fairhearing.interests.queries import conflicts_for
    from fairhearing.interests.services import excluded_from_case

    if user.role not in CASEWORK_ROLES:
        raise CaseError(NOT_CASEWORKER)
    if user.pk in excluded_from_case(case):
        raise CaseError(STEPPED_ASIDE.format(name=user.display_name))
    conflicts = conflicts_for(user, case)
    if conflicts:
        raise CaseError(CONFLICTED.format(name=user.display_name, why="; ".join(conflicts)))
    if not user.training.filter(expires_on__gte=timezone.localdate()).exists():
        raise CaseError(UNTRAINED.format(name=user.display_name))
    if Assignment.objects.filter(case=case, user=user, role=role, ended_at__isnull=True).exists():
        raise CaseError(
            ALREADY_ASSIGNED.format(name=user.display_name, role=Assignment.Role(role).label)
        )
    assignment = Assignment.objects.create(case=case, user=user, role=role)
    event_append(
        actor=actor,
        kind=EventKind.CASE_ASSIGNED,
        case_id=case.pk,
        payload={"assignment": assignment.pk, "user": user.pk, "role": role},
    )
    return assignment


@transaction.atomic
def case_unassign(*, actor: Any, assignment: Assignment) -> Assignment:
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    event_append(
        actor=actor,
        kind=EventKind.CASE_UNASSIGNED,
        case_id=assignment.case_id,
        payload={"assignment": assignment.pk, "user": assignment.user_id, "role": assignment.role},
    )
    return assignment


@transaction.atomic
def case_add_witness(*, actor: Any, case: Case, details: PersonDetails) -> Party:
    person = person_find_or_create(actor=actor, organisation=case.organisation, details=details)
    if Party.objects.filter(case=case, person=person, role=Party.Role.WITNESS).exists():
        raise CaseError(ALREADY_A_PARTY.format(name=person.full_name, role="witness"))
    party = Party.objects.create(case=case, person=person, role=Party.Role.WITNESS)
    event_append(
        actor=actor,
        kind=EventKind.PARTY_ADDED,
        case_id=case.pk,
        payload={"party": party.pk, "person": person.pk, "role": party.role},
    )
    return party


@transaction.atomic
def allegation_set_conduct_rules(
    *, actor: Any, allegation: Allegation, refs: list[str]
) -> Allegation:
    """Record which conduct rules an allegation engages, from the case's rulebook."""
    known = allegation.case.rulebook.spec.conduct_rules
    unknown = [ref for ref in refs if ref not in known]
    if unknown:
        raise CaseError(UNKNOWN_RULES.format(refs=", ".join(unknown)))
    previous = list(allegation.conduct_rule_refs)
    allegation.conduct_rule_refs = sorted(set(refs))
    allegation.save(update_fields=["conduct_rule_refs"])
    event_append(
        actor=actor,
        kind=EventKind.ALLEGATION_RULES_SET,
        case_id=allegation.case_id,
        payload={"allegation": allegation.pk, "from": previous, "to": allegation.conduct_rule_refs},
    )
    return allegation


NEEDS_PROTECTION_REASON = "Record the reason for withholding the complainant's identity."


@transaction.atomic
def party_protect_identity(*, actor: Any, party: Party, reason: str) -> Party:
    """Withhold a complainant's identity from the respondent, for a recorded reason (R-12)."""
    if not reason.strip():
        raise CaseError(NEEDS_PROTECTION_REASON)
    party.identity_protected, party.protection_reason = True, reason.strip()
    party.save(update_fields=["identity_protected", "protection_reason"])
    event_append(
        actor=actor,
        kind=EventKind.IDENTITY_PROTECTED,
        case_id=party.case_id,
        payload={"party": party.pk, "reason_sha256": content_hash(party.protection_reason)},
    )
    return party
