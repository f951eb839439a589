"""Every write of the data-protection app: legal holds, retention, subject access requests.

Retention's anonymisation lives in `retention.py` (re-exported here); the subject access
export is built by `subject_access.py`.
"""

import calendar
import datetime as dt
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role, User
from fairhearing.cases.models import Case
from fairhearing.core.errors import CaseError
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.people.models import Person

from . import subject_access
from .models import Anonymisation, LegalHold, SubjectAccessRequest
from .retention import RetentionError, case_anonymise, retention_run  # noqa: F401 - re-exported

log = logging.getLogger(__name__)

NEEDS_REASONS = "Give the reasons."
REVIEW_IN_FUTURE = "The review date must be in the future."
ALREADY_HELD = "The case is already on legal hold."
HOLD_LIFTED = "The hold has been lifted already."
CASE_ANONYMISED = "The case has been anonymised: there is nothing left to hold."
SAR_CLOSED = "The request has been completed already."
SAR_NOT_EXPORTED = "Produce the export before completing the request."
SAR_RECEIVED_FUTURE = "The date received cannot be in the future."
SAR_OTHER_ORGANISATION = "That person is not in your organisation's records."
REMINDER_PERCENTAGES = (50, 75, 90)


class DataProtectionError(CaseError):
    """A request the rules refuse; the message says why (the API answers 409, like CaseError)."""


def _reasons(reasons: str) -> str:
    if not reasons.strip():
        raise DataProtectionError(NEEDS_REASONS)
    return reasons.strip()


def _review_on(review_on: dt.date) -> dt.date:
    if review_on <= timezone.localdate():
        raise DataProtectionError(REVIEW_IN_FUTURE)
    return review_on


@transaction.atomic
def legal_hold_place(*, actor: Any, case: Case, reasons: str, review_on: dt.date) -> LegalHold:
    """Keep a case from anonymisation (a claim, an inquiry, an appeal elsewhere), with reasons
    and a date by which the hold must be reviewed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if Anonymisation.objects.filter(case=case).exists():
        raise DataProtectionError(CASE_ANONYMISED)
    if LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists():
        raise DataProtectionError(ALREADY_HELD)
    hold = LegalHold.objects.create(
        case=case, reasons=_reasons(reasons), placed_by=actor, review_on=_review_on(review_on)
    )
    event_append(
        actor=actor,
        kind=EventKind.LEGAL_HOLD_PLACED,
        case_id=case.pk,
        payload={
            "hold": hold.pk,
            "review_on": review_on.isoformat(),
            "reasons_sha256": content_hash(hold.reasons),
        },
    )
    return hold


def _active(hold: LegalHold) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise DataProtectionError(HOLD_LIFTED)
    return hold


@transaction.atomic
def legal_hold_review(
    *, actor: Any, hold: LegalHold, reasons: str, review_on: dt.date
) -> LegalHold:
    """Keep the hold after looking at it again, with reasons and the next review date."""
    hold = _active(hold)
    hold.review_reasons, hold.review_on = _reasons(reasons), _review_on(review_on)
    hold.reviewed_at, hold.reviewed_by = timezone.now(), actor
    hold.save(update_fields=["review_reasons", "review_on", "reviewed_at", "reviewed_by"])
    event_append(
        actor=actor,
        kind=EventKind.LEGAL_HOLD_REVIEWED,
        case_id=hold.case_id,
        payload={
            "hold": hold.pk,
            "review_on": review_on.isoformat(),
            "reasons_sha256": content_hash(hold.review_reasons),
        },
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: Any, hold: LegalHold, reasons: str) -> LegalHold:
    """End the hold: the case is anonymised at the next retention run if it is due."""
    hold = _active(hold)
    hold.lift_reasons, hold.lifted_at, hold.lifted_by = _reasons(reasons), timezone.now(), actor
    hold.save(update_fields=["lift_reasons", "lifted_at", "lifted_by"])
    event_append(
        actor=actor,
        kind=EventKind.LEGAL_HOLD_LIFTED,
        case_id=hold.case_id,
        payload={"hold": hold.pk, "reasons_sha256": content_hash(hold.lift_reasons)},
    )
    return hold


def one_month_after(received_at: dt.datetime) -> dt.datetime:
    """The end (23:59:59.999999 local) of the corresponding day of the next calendar month, or
    of that month's last day when it has no such day (ICO guidance on "one month")."""
    day = timezone.localtime(received_at).date()
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    due = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return timezone.make_aware(dt.datetime.combine(due, dt.time.max))


def _staff_only(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.CASE_OFFICER:
        raise DataProtectionError("Only case officers handle subject access requests.")


@transaction.atomic
def subject_access_open(
    *, actor: Any, person: Person, received_at: dt.datetime | None = None
) -> SubjectAccessRequest:
    """Record a person's request for their data; due one calendar month after receipt."""
    _staff_only(actor)
    if person.organisation_id != actor.organisation_id:
        raise DataProtectionError(SAR_OTHER_ORGANISATION)
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        raise DataProtectionError(SAR_RECEIVED_FUTURE)
    request = SubjectAccessRequest.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        received_at=received_at,
        due_at=one_month_after(received_at),
        recorded_by=actor,
    )
    event_append(
        actor=actor,
        kind=EventKind.SUBJECT_ACCESS_REQUESTED,
        payload={
            "request": request.pk,
            "person": person.pk,
            "due_at": request.due_at.isoformat(),
        },
    )
    return request


@transaction.atomic
def subject_access_export(*, actor: Any, request: SubjectAccessRequest, fmt: str) -> bytes:
    """Everything held about the person, third parties redacted, as JSON or PDF (recorded)."""

    _staff_only(actor)
    document = subject_access.collect(request.person)
    data = subject_access.as_json(document) if fmt == "json" else subject_access.as_pdf(document)
    now = timezone.now()
    SubjectAccessRequest.objects.filter(pk=request.pk).update(exported_at=now)
    request.exported_at = now
    event_append(
        actor=actor,
        kind=EventKind.SUBJECT_ACCESS_EXPORTED,
        payload={
            "request": request.pk,
            "person": request.person_id,
            "format": fmt,
            "cases": document["case_ids"],
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )
    return data


@transaction.atomic
def subject_access_complete(*, actor: Any, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """The export has been sent to the person: the request is answered."""
    _staff_only(actor)
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != SubjectAccessRequest.Status.OPEN:
        raise DataProtectionError(SAR_CLOSED)
    if request.exported_at is None:
        raise DataProtectionError(SAR_NOT_EXPORTED)
    request.status = SubjectAccessRequest.Status.COMPLETED
    request.completed_at, request.completed_by = timezone.now(), actor
    request.save(update_fields=["status", "completed_at", "completed_by"])
    event_append(
        actor=actor,
        kind=EventKind.SUBJECT_ACCESS_COMPLETED,
        payload={
            "request": request.pk,
            "person": request.person_id,
            "on_time": request.completed_at <= request.due_at,
        },
    )
    return request


def _tell(request: SubjectAccessRequest, subject: str, body: str) -> int:
    return _tell_officers(request.organisation_id, subject, body)


def _tell_officers(organisation_id: int, subject: str, body: str) -> int:
    """Email the organisation's case officers, who handle holds and subject access."""

    recipients = sorted(
        User.objects.filter(organisation_id=organisation_id, role=Role.CASE_OFFICER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        EmailMessage(subject=subject, body=body, to=recipients).send()
    return len(recipients)


def subject_access_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Reminders at 50, 75 and 90% of the month, and the breach once, each claimed by a
    conditional UPDATE so that several workers never send twice."""
    now = now or timezone.now()
    result = {"reminders": 0, "breaches": 0}
    for request in SubjectAccessRequest.objects.filter(status=SubjectAccessRequest.Status.OPEN):
        label = f"Subject access request {request.pk}"
        if request.due_at < now:
            with transaction.atomic():
                if not SubjectAccessRequest.objects.filter(
                    pk=request.pk, breached_at__isnull=True, status="open"
                ).update(breached_at=now):
                    continue
                sent = _tell(
                    request,
                    f"{label} is overdue",
                    f"{label} was due on {timezone.localtime(request.due_at):%d %B %Y}. "
                    "The law allows one month: answer it now.",
                )
                event_append(
                    actor=None,
                    kind=EventKind.SUBJECT_ACCESS_BREACHED,
                    payload={"request": request.pk, "recipients": sent},
                )
                result["breaches"] += 1
            continue
        span = (request.due_at - request.received_at).total_seconds() or 1
        elapsed = 100 * (now - request.received_at).total_seconds() / span
        reached = [p for p in REMINDER_PERCENTAGES if p <= elapsed]
        if not reached or reached[-1] <= request.reminded_percent:
            continue
        percent = reached[-1]
        with transaction.atomic():
            if not SubjectAccessRequest.objects.filter(
                pk=request.pk, reminded_percent=request.reminded_percent
            ).update(reminded_percent=percent):
                continue
            sent = _tell(
                request,
                f"{label}: {percent}% of the month has gone",
                f"{label} is due on {timezone.localtime(request.due_at):%d %B %Y}.",
            )
            event_append(
                actor=None,
                kind=EventKind.SUBJECT_ACCESS_REMINDER,
                payload={"request": request.pk, "percent": percent, "recipients": sent},
            )
            result["reminders"] += 1
    return result


def legal_hold_reviews_due(*, today: dt.date | None = None) -> int:
    """Tell the case officers, once for each review date, of every hold whose review date has
    come (run by the worker's sweep). Each is claimed with a conditional UPDATE, so that several
    workers never send twice; reviewing the hold sets a new date, told of in its turn.
    Returns how many holds were due."""
    today = today or timezone.localdate()
    due = (
        LegalHold.objects.filter(lifted_at__isnull=True, review_on__lte=today)
        .exclude(review_reminded_on=models.F("review_on"))
        .select_related("case")
        .order_by("review_on", "pk")
    )
    told = 0
    for hold in due:
        with transaction.atomic():
            claimed = LegalHold.objects.filter(
                pk=hold.pk,
                lifted_at__isnull=True,
                review_on=hold.review_on,
                review_reminded_on=hold.review_reminded_on,
            ).update(review_reminded_on=hold.review_on)
            if not claimed:
                continue
            reference = hold.case.reference
            url = settings.SITE_URL + reverse("dataprotection:hold", args=[reference])
            sent = _tell_officers(
                hold.case.organisation_id,
                f"Legal hold on case {reference}: review due",
                f"The legal hold on case {reference} was to be reviewed by "
                f"{hold.review_on:%d %B %Y}. Keep it (with reasons and the next review date) "
                f"or lift it: {url}",
            )
            event_append(
                actor=None,
                kind=EventKind.LEGAL_HOLD_REVIEW_DUE,
                case_id=hold.case_id,
                payload={
                    "hold": hold.pk,
                    "review_on": hold.review_on.isoformat(),
                    "recipients": sent,
                },
            )
            told += 1
    return told
