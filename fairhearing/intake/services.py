"""The front door: a complaint from the public form, acknowledged with its reference."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from fairhearing.cases.models import Complaint
from fairhearing.cases.services import AllegationDetails, case_transition, complaint_record
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.models import Organisation
from fairhearing.people.services import PersonDetails

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
) -> Complaint:
    """Record the complaint, then acknowledge it by email.

    Recording commits first, so a mail failure never loses a complaint: its cases stay at
    "received" with the acknowledgement limit running, for staff to act on.
    """
    complaint = complaint_record(
        actor=actor,
        organisation=organisation,
        channel=channel,
        complainant=complainant,
        respondents=respondents,
        allegation=allegation,
        summary=summary,
        received_at=received_at,
    )
    if complaint.complainant.email:
        complaint_acknowledge_by_email(complaint=complaint)
    return complaint


def complaint_acknowledge_by_email(*, complaint: Complaint) -> bool:
    cases = list(complaint.cases.select_related("rulebook").order_by("pk"))
    context = {
        "complaint": complaint,
        "cases": cases,
        "site_url": settings.SITE_URL,
        "receipt": complaint_receipt_event(complaint),
    }
    message = EmailMultiAlternatives(
        subject=f"We have received your complaint: reference {complaint.reference}",
        body=render_to_string("intake/email/acknowledgement.txt", context),
        to=[complaint.complainant.email],
    )
    message.attach_alternative(
        render_to_string("intake/email/acknowledgement.html", context), "text/html"
    )
    try:
        message.send()
    except Exception:  # any mail backend failure: the complaint is already safe
        log.exception("acknowledgement for %s not sent", complaint.reference)
        return False
    with transaction.atomic():
        event_append(
            actor=None,
            kind=EventKind.ACKNOWLEDGEMENT_SENT,
            payload={
                "complaint": complaint.pk,
                "channel": "email",
                "cases": [case.pk for case in cases],
            },
        )
        for case in cases:
            if "acknowledge" in {t.key for t in case.rulebook.spec.transitions_from(case.stage)}:
                case_transition(
                    actor=None,
                    case=case,
                    transition="acknowledge",
                    reasons=AUTO_ACK_REASONS,
                    rule_applied=AUTO_ACK_RULE,
                )
    return True


def received_at_for(day: dt.date) -> dt.datetime:
    """When a complaint received on `day` arrived: now if today, else noon that day."""
    from django.utils import timezone

    if day == timezone.localdate():
        return timezone.now()
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=timezone.get_current_timezone())


def complaint_receipt_event(complaint: Complaint) -> Event | None:
    """The ledger event that recorded the complaint: its leaf hash lets the complainant check,
    later, that the record was never changed (an inclusion proof against a signed head)."""
    return Event.objects.filter(
        kind=EventKind.COMPLAINT_RECEIVED, payload__complaint=complaint.pk
    ).first()
