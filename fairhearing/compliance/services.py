"""Every write to a sanction's conditions (see models.py): set, complied with, not complied
with, withdrawn, and the daily sweep's part (reminders due, overdue conditions, ends reached).

The sweep's steps claim each condition with a conditional UPDATE, so a sweep run twice, or by
two workers at once, reminds, escalates and tells membership systems once. What it claims is
returned for `notifications` (above this app) to write the emails and letters in the same
transaction.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from fairhearing.cases.models import Case, StageChange
from fairhearing.core.errors import CaseError
from fairhearing.evidence.services import Upload, blob_store
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.webhooks.services import webhook_raise

from .models import Condition

NO_SANCTION = "Conditions follow a sanction: this case has no sanction in effect."
NEEDS_DESCRIPTION = "Say what the person must do."
DUE_IN_PAST = "The date it is due must be after today."
NOT_OPEN = "This condition has already been {status}."
AN_END = "The end of a sanction is reached on its date: there is nothing to record."
NEEDS_NOTE = "Say what shows the condition was complied with."
NEEDS_REASONS = "Give the reasons."
UNKNOWN_KIND = "Choose what the condition asks for."
PROOF_ONLY_WHEN_COMPLIED = "Add a file only when the condition was complied with."
ADDABLE_KINDS = (Condition.Kind.COURSE, Condition.Kind.APOLOGY, Condition.Kind.OTHER)
SET_ASIDE = "The sanction was set aside by the decision of {date}."
VARIED = "The sanction was replaced by the decision of {date}."


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _end_description(sanction_key: str, label: str) -> str:
    if sanction_key == "suspension":
        return "The suspension ends"
    if sanction_key == "expulsion":
        return "The re-admission bar ends: they may apply to rejoin"
    return f"{label} ends"


def _set(
    *,
    actor: Any,
    case: Case,
    sanction: str,
    kind: str,
    description: str,
    due_on: dt.date,
    change: StageChange | None = None,
) -> Condition:
    condition = Condition.objects.create(
        case=case,
        imposed_by=change,
        sanction=sanction,
        kind=kind,
        description=description,
        due_on=due_on,
        created_by=actor,
    )
    event_append(
        actor=actor,
        kind=EventKind.CONDITION_SET,
        case_id=case.pk,
        payload={
            "condition": condition.pk,
            "kind": kind,
            "sanction": sanction,
            "due_on": due_on.isoformat(),
            "description_sha256": content_hash(description),
            "stage_change": change.pk if change else None,
        },
    )
    return condition


def _withdraw(*, actor: Any, condition: Condition, reasons: str, at: dt.datetime) -> None:
    condition.status, condition.finished_at = Condition.Status.WITHDRAWN, at
    condition.finished_by, condition.finish_note = actor, reasons
    condition.save(update_fields=["status", "finished_at", "finished_by", "finish_note"])
    event_append(
        actor=actor,
        kind=EventKind.CONDITION_WITHDRAWN,
        case_id=condition.case_id,
        payload={"condition": condition.pk, "reasons_sha256": content_hash(reasons)},
    )


def conditions_for_decision(*, actor: Any, case: Case, change: StageChange) -> list[Condition]:
    """What a decision that has taken effect does to the sanction's conditions (inside the
    caller's transaction, `workflow.case_apply_decision`): a new sanction (imposed, or varied
    on appeal) replaces the open conditions of the one before and sets its own, from the
    rulebook, each due its days after the decision, with the sanction's end if it has one; a
    decision the rulebook's `compliance.set_aside_by` names withdraws them."""
    spec = case.rulebook.spec
    decided_on = _local_day(change.at)
    when = date_format(decided_on, "j F Y")
    if change.sanction or change.transition in spec.compliance_set_aside_by:
        reasons = (VARIED if change.sanction else SET_ASIDE).format(date=when)
        for condition in Condition.objects.filter(case=case, status=Condition.Status.OPEN):
            _withdraw(actor=actor, condition=condition, reasons=reasons, at=change.at)
    sanction = spec.sanctions.get(change.sanction) if change.sanction else None
    if sanction is None:
        return []
    made = [
        _set(
            actor=actor,
            case=case,
            sanction=sanction.key,
            kind=rule.kind,
            description=rule.label,
            due_on=decided_on + dt.timedelta(days=rule.due_days),
            change=change,
        )
        for rule in sanction.conditions
    ]
    if change.sanction_ends_on:
        made.append(
            _set(
                actor=actor,
                case=case,
                sanction=sanction.key,
                kind=Condition.Kind.SANCTION_END,
                description=_end_description(sanction.key, sanction.label),
                due_on=change.sanction_ends_on,
                change=change,
            )
        )
    return made


def sanction_in_effect(case: Case) -> bool:
    """Whether the case's sanction stands: decided, and not set aside by a later decision the
    rulebook's `compliance.set_aside_by` names (the case keeps the key of the sanction it
    had, for the record)."""
    imposed = (
        case.stage_changes.filter(sanction=case.sanction).order_by("-at", "-pk").first()
        if case.sanction
        else None
    )
    if imposed is None:
        return False
    set_aside = case.rulebook.spec.compliance_set_aside_by
    return not case.stage_changes.filter(transition__in=set_aside, at__gte=imposed.at).exists()


@transaction.atomic
def condition_add(
    *, actor: Any, case: Case, kind: str, description: str, due_on: dt.date
) -> Condition:
    """A condition the case team sets on the sanction in effect (a course the panel named,
    an apology): due on a date after today."""
    case = Case.objects.select_for_update().select_related("rulebook").get(pk=case.pk)
    description = description.strip()
    if not sanction_in_effect(case):
        raise CaseError(NO_SANCTION)
    if kind not in ADDABLE_KINDS:
        raise CaseError(UNKNOWN_KIND)
    if not description:
        raise CaseError(NEEDS_DESCRIPTION)
    if due_on <= timezone.localdate():
        raise CaseError(DUE_IN_PAST)
    return _set(
        actor=actor,
        case=case,
        sanction=case.sanction,
        kind=kind,
        description=description,
        due_on=due_on,
    )


def _claim_open(condition: Condition) -> Condition:
    """The condition locked, or a refusal saying what became of it."""
    locked = Condition.objects.select_for_update().get(pk=condition.pk)
    if locked.is_end:
        raise CaseError(AN_END)
    if not locked.is_open:
        raise CaseError(NOT_OPEN.format(status=locked.get_status_display().lower()))
    return locked


@transaction.atomic
def condition_complied(
    *, actor: Any, condition: Condition, note: str, proof: Upload | None = None
) -> Condition:
    """Record that the person did what the condition asked, with what shows it (a note, and
    a file such as a certificate if there is one: kept under its hash, as evidence is)."""
    note = note.strip()
    if not note:
        raise CaseError(NEEDS_NOTE)
    condition = _claim_open(condition)
    blob, name = blob_store(proof) if proof is not None else (None, "")
    condition.status, condition.finished_at = Condition.Status.COMPLIED, timezone.now()
    condition.finished_by, condition.finish_note = actor, note
    condition.proof, condition.proof_name = blob, name
    condition.save(
        update_fields=[
            "status",
            "finished_at",
            "finished_by",
            "finish_note",
            "proof",
            "proof_name",
        ]
    )
    event_append(
        actor=actor,
        kind=EventKind.CONDITION_COMPLIED,
        case_id=condition.case_id,
        payload={
            "condition": condition.pk,
            "late": condition.due_on < timezone.localdate(),
            "note_sha256": content_hash(note),
            "proof_sha256": blob.sha256 if blob else None,
        },
    )
    return condition


@transaction.atomic
def condition_not_complied(*, actor: Any, condition: Condition, reasons: str) -> Condition:
    """Record that the person did not comply, with the case team's reasons (what follows is
    a new complaint or the rulebook's procedure for breach of a sanction)."""
    reasons = reasons.strip()
    if not reasons:
        raise CaseError(NEEDS_REASONS)
    condition = _claim_open(condition)
    condition.status, condition.finished_at = Condition.Status.NOT_COMPLIED, timezone.now()
    condition.finished_by, condition.finish_note = actor, reasons
    condition.save(update_fields=["status", "finished_at", "finished_by", "finish_note"])
    event_append(
        actor=actor,
        kind=EventKind.CONDITION_NOT_COMPLIED,
        case_id=condition.case_id,
        payload={"condition": condition.pk, "reasons_sha256": content_hash(reasons)},
    )
    return condition


# --- the daily sweep ---------------------------------------------------------------------


def conditions_to_remind(*, today: dt.date) -> list[Condition]:
    """Claim the open conditions due within their rulebook's `compliance.reminder_days`
    that nobody was reminded of (inside the caller's transaction); the caller tells the
    person sanctioned."""
    claimed = []
    candidates = (
        Condition.objects.filter(
            status=Condition.Status.OPEN, reminded_on__isnull=True, due_on__gte=today
        )
        .exclude(kind=Condition.Kind.SANCTION_END)
        .select_related("case__rulebook", "case__respondent")
    )
    for condition in candidates:
        days = condition.case.rulebook.spec.compliance_reminder_days
        if not days or condition.due_on > today + dt.timedelta(days=days):
            continue
        if Condition.objects.filter(pk=condition.pk, reminded_on__isnull=True).update(
            reminded_on=today
        ):
            claimed.append(condition)
    return claimed


def conditions_overdue(*, today: dt.date) -> list[Condition]:
    """Claim the open conditions past their date whose case team has not been told (inside
    the caller's transaction): each goes back to the case team, once, on the ledger."""
    claimed = []
    candidates = (
        Condition.objects.filter(
            status=Condition.Status.OPEN, overdue_since__isnull=True, due_on__lt=today
        )
        .exclude(kind=Condition.Kind.SANCTION_END)
        .select_related("case")
    )
    for condition in candidates:
        if Condition.objects.filter(pk=condition.pk, overdue_since__isnull=True).update(
            overdue_since=today
        ):
            event_append(
                actor=None,
                kind=EventKind.CONDITION_OVERDUE,
                case_id=condition.case_id,
                payload={"condition": condition.pk, "due_on": condition.due_on.isoformat()},
            )
            claimed.append(condition)
    return claimed


def sanction_ends_reach(*, today: dt.date | None = None) -> int:
    """Each suspension or re-admission bar whose end date has passed ends (on the ledger),
    and membership systems are told: `sanction.expired`, with `suspension.ended` or
    `readmission_bar.ended`. Withdrawn ends (the sanction set aside or varied) tell nobody.
    Returns how many ended."""
    today = today or timezone.localdate()
    ended = 0
    due = Condition.objects.filter(
        status=Condition.Status.OPEN, kind=Condition.Kind.SANCTION_END, due_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            now = timezone.now()
            if not Condition.objects.filter(pk=pk, status=Condition.Status.OPEN).update(
                status=Condition.Status.ENDED, finished_at=now
            ):
                continue  # another sweep got there first
            condition = Condition.objects.select_related("case__respondent").get(pk=pk)
            case = condition.case
            event_append(
                actor=None,
                kind=EventKind.SANCTION_ENDED,
                case_id=case.pk,
                payload={
                    "condition": condition.pk,
                    "sanction": condition.sanction,
                    "ended_on": condition.due_on.isoformat(),
                },
            )
            details = {"sanction": condition.sanction, "ends_on": condition.due_on.isoformat()}
            # The key the sweep has always used, so an upgrade tells nobody twice.
            key = f"{case.pk}:expired:{condition.sanction}:{condition.due_on}"
            webhook_raise(case=case, name="sanction.expired", dedupe_key=key, details=details)
            if condition.sanction == "suspension":
                webhook_raise(
                    case=case, name="suspension.ended", dedupe_key=key + ":susp", details=details
                )
            elif condition.sanction == "expulsion":
                webhook_raise(
                    case=case,
                    name="readmission_bar.ended",
                    dedupe_key=key + ":bar",
                    details=details,
                )
            ended += 1
    return ended
