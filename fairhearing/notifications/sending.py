"""Sending queued emails: each claimed so that two workers never send one twice, retried with
back-off when the mail server fails, and recorded on the ledger once sent. The worker runs
this (`tasks.notifications_send_task`, queued by the services that queue a notification)."""

import datetime as dt
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from fairhearing.core.mail import stable_message_id
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.people.services import writing_to
from fairhearing.worker import faults

from .models import Notification

log = logging.getLogger(__name__)
BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]


def _send(notification: Notification) -> None:
    """In the language the party chose (people.Person.language), as far as the catalogue
    has the email's words; staff are written to in the site's own."""
    with writing_to(notification.person):
        _render_and_send(notification)


def _render_and_send(notification: Notification) -> None:
    context = {**notification.context, "name": notification.to_name, "role": notification.role}
    text = render_to_string(f"notifications/email/{notification.kind}.txt", context)
    first_line, _, body = text.strip().partition("\n")
    # One line, whatever a value in it holds (a stray CR would be a header break).
    subject = " ".join(first_line.split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=body.strip() + "\n",
        to=[notification.to_email],
        # The same notification always has the same Message-ID: should a crash between the
        # mail server's acceptance and our record of it send it again, mail clients show one.
        headers={"Message-ID": stable_message_id("notification", notification.pk)},
    )
    message.attach_alternative(
        render_to_string("notifications/email/wrapper.html", {"subject": subject, "body": body}),
        "text/html",
    )
    message.send()
    notification.subject = subject[:300]


def notifications_send_pending(*, now: dt.datetime | None = None, batch: int = 200) -> int:
    """Send what is due; each claimed with a conditional UPDATE so workers never double-send."""
    now = now or timezone.now()
    due = (
        Notification.objects.filter(
            status__in=[Notification.Status.QUEUED, Notification.Status.FAILED],
            next_attempt_at__lte=now,
        )
        .select_related("person")
        .order_by("next_attempt_at")[:batch]
    )
    sent = 0
    for notification in due:
        # The claim is a lease of ten minutes from now (not from the start of the batch): a
        # worker that dies mid-send leaves it to be sent again after that, never sooner.
        claimed = Notification.objects.filter(
            pk=notification.pk, attempts=notification.attempts, status=notification.status
        ).update(
            attempts=notification.attempts + 1,
            next_attempt_at=timezone.now() + dt.timedelta(minutes=10),
        )
        if not claimed:
            continue
        notification.attempts += 1
        try:
            _send(notification)
        except Exception as exc:  # any mail backend failure: retry later
            gave_up = notification.attempts >= len(BACKOFF)
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.GAVE_UP if gave_up else Notification.Status.FAILED,
                last_error=str(exc)[:1000],
                next_attempt_at=now + BACKOFF[min(notification.attempts, len(BACKOFF)) - 1],
            )
            continue
        with transaction.atomic():
            # Conditional: if our claim lapsed and another worker sent it too, one records it.
            marked = (
                Notification.objects.filter(pk=notification.pk, attempts=notification.attempts)
                .exclude(status=Notification.Status.SENT)
                .update(
                    status=Notification.Status.SENT,
                    sent_at=now,
                    subject=notification.subject,
                    last_error="",
                )
            )
            if not marked:
                continue
            event_append(
                actor=None,
                kind=EventKind.NOTIFICATION_SENT,
                case_id=notification.case_id,
                payload={
                    "notification": notification.pk,
                    "kind": notification.kind,
                    "role": notification.role,
                    "attempts": notification.attempts,
                },
            )
        sent += 1
        faults.checkpoint("notifications.sent")
    return sent
