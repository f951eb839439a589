"""The front door: a complaint from the public form, acknowledged with its reference; and
anonymous reports, acknowledged by a one-time receipt code that is the reporter's only way back.

Ledger payloads for anonymous reports carry ids and hashes only: never the code, never text.
"""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from fairhearing.cases.models import Case, Complaint
from fairhearing.core.mail import stable_message_id
from fairhearing.evidence.models import Source
from fairhearing.evidence.services import (
    Upload,
    evidence_add_file,
)
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.models import Organisation
from fairhearing.people.services import PersonDetails
from fairhearing.worker import faults
from fairhearing.worker.services import current_worker_id, worker_alive
from fairhearing.workflow.services import case_transition

from .acknowledge import acknowledgements_record_many
from .details import AllegationDetails, Capture, Incoming
from .models import Submission
from .record import acknowledgement_sent_payload, complaints_record

log = logging.getLogger(__name__)

AUTO_ACK_REASONS = "Acknowledgement with the reference emailed to the complainant on receipt."
AUTO_ACK_RULE = "Rulebook: acknowledge every complaint with a reference (R-02)"


def complaint_submit(
    *,
    actor: Any,
    organisation: Organisation,
    channel: str,
    complainant: PersonDetails,
    respondents: list[PersonDetails],
    allegation: AllegationDetails,
    summary: str,
    received_at: dt.datetime | None = None,
    upload: Upload | None = None,
    upload_description: str = "",
) -> Complaint:
    """Record the complaint, with the post it names and the file sent with it as evidence,
    then acknowledge it by email.

    Recording commits first, so a mail failure never loses a complaint: its cases stay at
    "received" with the acknowledgement limit running, for staff to act on. A refused file
    (`EvidenceRefused`) leaves nothing written.
    """

    source = Source.STAFF if actor is not None else Source.COMPLAINT
    incoming = Incoming(
        actor=actor,
        received_at=received_at or timezone.now(),
        channel=channel,
        complainant=complainant,
        respondents=respondents,
        allegation=allegation,
        summary=summary,
        capture=post_capture(allegation, source),
    )
    with transaction.atomic():
        recorded, refused = complaints_record(organisation, [incoming])
        if refused:
            raise refused[0]
        complaint = recorded[0].recorded()[0]
        if upload is not None:
            complaint_file_keep(
                actor=actor,
                complaint=complaint,
                source=source,
                upload=upload,
                description=upload_description,
            )
    acknowledgements_send_and_record([recorded[0].recorded()])
    return complaint


POST_DESCRIPTION = "The post the complaint names, as the complainant gave it"
UPLOAD_BY_COMPLAINANT = "Sent with the complaint"


def post_capture(allegation: AllegationDetails, source: str) -> Capture | None:
    """The post a complaint names by its link, to keep as evidence on each case it opens (a
    case it joins, as the same post reported again, has it already)."""
    if not allegation.url.strip():
        return None
    return Capture(url=allegation.url, description=POST_DESCRIPTION, source=source)


def complaint_file_keep(
    *, actor: Any, complaint: Complaint, source: str, upload: Upload, description: str = ""
) -> None:
    """The file sent with a complaint, kept as evidence on each of its cases, in the caller's
    transaction."""
    for case in complaint.cases.order_by("pk"):
        evidence_add_file(
            actor=actor,
            case=case,
            upload=upload,
            description=description.strip() or UPLOAD_BY_COMPLAINANT,
            source=source,
            person=complaint.complainant,
        )


def acknowledgements_send_and_record(recorded: list[tuple[Complaint, list[Case]]]) -> None:
    """Acknowledge recorded complaints: email each that has an address, then record the sent
    ones in one transaction, as `complaint_acknowledge_by_email` records each (one by one
    where `acknowledgements_record_many` declines)."""

    sent = [
        (complaint, cases)
        for complaint, cases in recorded
        if complaint.complainant.email and acknowledgement_send(complaint=complaint, cases=cases)
    ]
    if not sent:
        return
    with transaction.atomic():
        if not acknowledgements_record_many(
            sent, reasons=AUTO_ACK_REASONS, rule_applied=AUTO_ACK_RULE
        ):
            for complaint, cases in sent:
                acknowledgement_record(complaint=complaint, cases=cases)


def complaint_acknowledge_by_email(*, complaint: Complaint) -> bool:
    cases = list(complaint.cases.select_related("rulebook").order_by("pk"))
    if not acknowledgement_send(complaint=complaint, cases=cases):
        return False
    with transaction.atomic():
        acknowledgement_record(complaint=complaint, cases=cases)
    return True


def acknowledgement_send(*, complaint: Complaint, cases: list[Case]) -> bool:
    """Email the complainant their reference (and the receipt's proof link). False, logged,
    if the mail backend fails: the complaint is already safe, and staff acknowledge it."""
    with translation.override(complaint.complainant.language or settings.LANGUAGE_CODE):
        return _acknowledgement_send(complaint=complaint, cases=cases)


def _acknowledgement_send(*, complaint: Complaint, cases: list[Case]) -> bool:
    """In the complainant's language (the one they chose on the form)."""
    context = {
        "complaint": complaint,
        "cases": cases,
        "site_url": settings.SITE_URL,
        "receipt": complaint_receipt_event(complaint),
    }
    message = EmailMultiAlternatives(
        subject=gettext("We have received your complaint: reference %(reference)s")
        % {"reference": complaint.reference},
        body=render_to_string("intake/email/acknowledgement.txt", context),
        to=[complaint.complainant.email],
        # Stable: sent again after a crash (intake.services.acknowledgements_owed_send), it
        # is the same message to the complainant's mail client.
        headers={"Message-ID": stable_message_id("acknowledgement", complaint.pk)},
    )
    message.attach_alternative(
        render_to_string("intake/email/acknowledgement.html", context), "text/html"
    )
    try:
        message.send()
    except Exception:  # any mail backend failure: the complaint is already safe
        log.exception("acknowledgement for %s not sent", complaint.reference)
        return False
    return True


def acknowledgement_record(*, complaint: Complaint, cases: list[Case]) -> None:
    """The sent acknowledgement on the ledger, and each case it covers acknowledged (in the
    caller's transaction)."""
    event_append(
        actor=None,
        kind=EventKind.ACKNOWLEDGEMENT_SENT,
        payload=acknowledgement_sent_payload(complaint, cases),
    )
    for case in cases:
        # As it is now: another complaint of the batch may have moved the case it joined.
        case.refresh_from_db(fields=["stage", "closed_at"])
        if "acknowledge" in {t.key for t in case.rulebook.spec.transitions_from(case.stage)}:
            case_transition(
                actor=None,
                case=case,
                transition="acknowledge",
                reasons=AUTO_ACK_REASONS,
                rule_applied=AUTO_ACK_RULE,
            )


# --- accepted now, recorded by the worker (the API's `Prefer: respond-async`) -------------

SUBMISSION_BATCH = 50


def _submission_arguments(submission: Submission) -> dict[str, Any]:
    data = submission.payload
    allegation = dict(data["allegation"])
    if allegation["conduct_date"]:
        allegation["conduct_date"] = dt.date.fromisoformat(allegation["conduct_date"])
    return {
        "channel": data["channel"],
        "complainant": PersonDetails(**data["complainant"]),
        "respondents": [PersonDetails(**r) for r in data["respondents"]],
        "allegation": AllegationDetails(**allegation),
        "summary": data["summary"],
    }


def submissions_record(*, batch: int = SUBMISSION_BATCH) -> dict[str, int]:
    """Record queued submissions, oldest first, `batch` to a transaction (one hold of the
    ledger's lock for the lot), then acknowledge each by email as `complaint_submit` does.

    Workers claim rows with SKIP LOCKED, so two never record the same submission. One that
    recording refuses (its category left the rulebook since) stays, refused, with the reason
    for its sender to read; the others in the batch are recorded."""

    counts = {"recorded": 0, "refused": 0}
    acknowledgements_owed_send()
    while True:
        fast: list[tuple[Complaint, list[Case]]] = []
        with transaction.atomic():
            claimed = list(
                Submission.objects.select_related("organisation", "submitted_by")
                .filter(status=Submission.Status.QUEUED)
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))[:batch]
            )
            if not claimed:
                return counts
            # One instance per organisation, so its rulebook is read once a batch.
            organisations: dict[int, Organisation] = {}
            by_organisation: dict[int, list[Submission]] = {}
            for submission in claimed:
                submission.organisation = organisations.setdefault(
                    submission.organisation_id, submission.organisation
                )
                by_organisation.setdefault(submission.organisation_id, []).append(submission)
            for pk, submissions in by_organisation.items():
                done, refused = complaints_record(
                    organisations[pk],
                    [
                        Incoming(
                            actor=s.submitted_by,
                            received_at=s.received_at,
                            reference=s.reference,
                            capture=post_capture(arguments["allegation"], Source.STAFF),
                            **arguments,
                        )
                        for s in submissions
                        for arguments in [_submission_arguments(s)]
                    ],
                )
                fast += [plan.recorded() for plan in done]
                for position, exc in sorted(refused.items()):
                    submission = submissions[position]
                    log.warning("submission %s refused: %s", submission.reference, exc)
                    reason = (
                        "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                    )
                    Submission.objects.filter(pk=submission.pk).update(
                        status=Submission.Status.REFUSED, reason=reason
                    )
                    counts["refused"] += 1
            recorded = [c.reference for c, _ in fast]
            # Their details are in the complaints' own records now; the rows stay, empty, as
            # the acknowledgements owed until they are sent (a worker may die first).
            Submission.objects.filter(reference__in=recorded).update(
                status=Submission.Status.RECORDED,
                payload={},
                recorded_at=timezone.now(),
                recorded_by_worker=current_worker_id(),
            )
            faults.checkpoint("intake.batch")
        counts["recorded"] += len(fast)
        faults.checkpoint("intake.recorded")
        acknowledgements_send_and_record(fast)
        Submission.objects.filter(
            reference__in=recorded, status=Submission.Status.RECORDED
        ).delete()


def acknowledgements_owed_send(*, now: dt.datetime | None = None) -> int:
    """Acknowledge complaints a worker recorded but died before acknowledging: rows left
    recorded by a worker that is no longer alive (or, recorded outside a worker, for longer
    than `acknowledgement_grace()`). Each is claimed by a conditional update; one whose cases
    have moved on (acknowledged, then the worker died before deleting the row) is not sent
    again. One that fails is logged and left for the next sweep. Returns how many were sent."""
    now = now or timezone.now()
    owed = Submission.objects.filter(
        status=Submission.Status.RECORDED, recorded_at__lt=now - acknowledgement_grace()
    ).order_by("pk")[:SUBMISSION_BATCH]
    sent = 0
    for submission in owed:
        if worker_alive(submission.recorded_by_worker, now=now):
            continue  # its worker is still sending it
        if (
            not submission.recorded_by_worker
            and submission.recorded_at
            and (submission.recorded_at > now - 5 * acknowledgement_grace())
        ):
            continue  # recorded outside a worker (a test, a command): give it longer
        claimed = Submission.objects.filter(
            pk=submission.pk,
            status=Submission.Status.RECORDED,
            recorded_at=submission.recorded_at,
            recorded_by_worker=submission.recorded_by_worker,
        ).update(recorded_at=now, recorded_by_worker=current_worker_id())
        if not claimed:
            continue  # another worker has it
        try:
            sent += _acknowledgement_owed_send(submission.reference)
        except Exception:
            log.exception("acknowledgement owed for %s: not sent", submission.reference)
            continue
        Submission.objects.filter(pk=submission.pk, status=Submission.Status.RECORDED).delete()
    return sent


def _acknowledgement_owed_send(reference: str) -> int:
    complaint = Complaint.objects.filter(reference=reference).select_related("complainant").first()
    if complaint is None or not complaint.complainant.email:
        return 0
    cases = list(complaint.cases.select_related("rulebook").order_by("pk"))
    if not all(case.stage == case.rulebook.spec.first_stage for case in cases):
        return 0  # acknowledged already
    return int(complaint_acknowledge_by_email(complaint=complaint))


def acknowledgement_grace() -> dt.timedelta:
    """How long a recorded submission waits for its acknowledgement before another worker
    may send it (if the worker that recorded it has stopped): one worker lease, by which time
    a dead worker has stopped beating. Recorded outside a worker, five leases."""
    return dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)


REFUSED_KEPT = dt.timedelta(days=30)


def submissions_refused_purge(*, now: dt.datetime | None = None) -> int:
    """Delete refused submissions 30 days after they arrived: long enough for the sender to
    read the reason and send again, and no longer, since they hold the people's details
    outside any case (so no case's retention or erasure would reach them)."""
    cutoff = (now or timezone.now()) - REFUSED_KEPT
    deleted, _ = Submission.objects.filter(
        status=Submission.Status.REFUSED, received_at__lt=cutoff
    ).delete()
    return deleted


def received_at_for(day: dt.date) -> dt.datetime:
    """When a complaint received on `day` arrived: now if today, else noon that day."""
    if day == timezone.localdate():
        return timezone.now()
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=timezone.get_current_timezone())


def complaint_receipt_event(complaint: Complaint) -> Event | None:
    """The ledger event that recorded the complaint: its leaf hash lets the complainant check,
    later, that the record was never changed (an inclusion proof against a signed head).

    The instance that recording returned carries it; otherwise the ledger is searched by
    payload, which no index serves."""
    if complaint.received_event is not None:
        return complaint.received_event
    return Event.objects.filter(
        kind=EventKind.COMPLAINT_RECEIVED, payload__complaint=complaint.pk
    ).first()
