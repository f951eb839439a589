"""Every write to complaints and cases. Each service is atomic and appends its ledger events
in the same transaction, so a failure writes nothing: no half-made case, no orphan event."""

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.core.bulk import insert_many
from fairhearing.core.errors import CaseError
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.models import Organisation, ReferenceCounter
from fairhearing.people.services import PersonDetails, person_find_or_create

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
UNTRAINED = (
    "{name} holds no current training of the kinds the rulebook requires ({missing}) and cannot"
    " be assigned until it is renewed (R-64)."
)
STEPPED_ASIDE = "{name} has stepped aside from this case and cannot rejoin it."
PANEL_NOT_READY = "The panel must be complete, each member having affirmed no conflict."
NOT_CASEWORKER = "Only case officers and investigators can join a case team."
ALREADY_ASSIGNED = "{name} is already on this case team as {role}."
NOT_ON_TEAM = "{name} is not on this case team."
# A bulk assignment (`workflow.services.cases_bulk_assign`): how many cases at a time.
BULK_MOST = 200
BULK_TOO_MANY = "Select at most {most} cases at a time: you selected {count}."
BULK_SAME_PERSON = "Choose someone other than the person leaving to take on the cases."


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


def reference_take(organisation: Organisation, counter: str, at: dt.datetime, kind: str) -> str:
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
def case_unassign(*, actor: Any, assignment: Assignment, reasons: str = "") -> Assignment:
    """End a place on the case team; `reasons`, when given, are kept with it and their hash
    goes on the ledger."""
    reasons = reasons.strip()
    assignment.ended_at, assignment.end_reasons = timezone.now(), reasons
    assignment.save(update_fields=["ended_at", "end_reasons"])
    payload: dict[str, Any] = {
        "assignment": assignment.pk,
        "user": assignment.user_id,
        "role": assignment.role,
    }
    if reasons:
        payload["reasons_sha256"] = content_hash(reasons)
    event_append(
        actor=actor, kind=EventKind.CASE_UNASSIGNED, case_id=assignment.case_id, payload=payload
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


# --- many at once: recording complaints (intake/record.py), in the caller's transaction --
# One complaint or a batch; their ledger events are the caller's to append.


def complaints_insert(complaints: list[Complaint]) -> None:
    insert_many(complaints)


def cases_insert(cases: list[Case]) -> None:
    insert_many(cases)


def case_parts_insert(
    *, links: list[Any], parties: list[Party], allegations: list[Allegation]
) -> None:
    """Each new case's complaint, complainant and allegation."""
    insert_many(links)
    insert_many(parties)
    insert_many(allegations)


def stage_changes_insert(changes: list[StageChange]) -> None:
    insert_many(changes)


def cases_move_many(ids: list[int], *, stage: str, at: dt.datetime) -> None:
    """Put these cases at `stage`, entered at `at`."""
    Case.objects.filter(pk__in=ids).update(stage=stage, stage_entered_at=at)
