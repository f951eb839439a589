"""Sending each signed tree head to the independent witnesses (settings.LEDGER_WITNESSES).

The worker does it (`witnesses_send_pending`, in the sweep right after it signs the hourly
head, and for any head signed elsewhere at the next sweep), never the signing itself: a mail
server or a witness's web server that is down delays nothing. Each head is queued once per
witness (a unique row), claimed with a conditional UPDATE so two workers never send it twice,
retried with back-off, and recorded on the ledger when it is sent or given up on."""

import datetime as dt
import json
import logging
import urllib.error
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from fairhearing.core.mail import stable_message_id
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.heads import head_as_dict, latest_head, public_key_hex
from fairhearing.ledger.models import EventKind, TreeHead
from fairhearing.ledger.services import event_append
from fairhearing.webhooks.services import post_signed

from .models import WitnessDelivery

log = logging.getLogger(__name__)
BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720, 1440)]
EVENT_NAME = "ledger.head_signed"


def witness_deliveries_queue() -> int:
    """Queue every head a configured witness has not been sent yet: the heads signed after the
    last one queued for it, or, for a witness new to the list, the latest head only (not the
    whole history of heads)."""
    latest = latest_head()
    if latest is None:
        return 0
    queued = 0
    for witness in settings.LEDGER_WITNESSES:
        last = (
            WitnessDelivery.objects.filter(witness=witness)
            .order_by("-head__tree_size")
            .values_list("head__tree_size", flat=True)
            .first()
        )
        heads = [latest] if last is None else TreeHead.objects.filter(tree_size__gt=last)
        rows = [WitnessDelivery(head=head, witness=witness) for head in heads]
        queued += len(WitnessDelivery.objects.bulk_create(rows, ignore_conflicts=True))
    return queued


def witness_document(head: TreeHead) -> dict[str, Any]:
    """What a witness keeps: the shape of /ledger/heads, which `ledger check-proof` reads."""
    return {
        "event": EVENT_NAME,
        "site": settings.SITE_URL,
        "public_key": public_key_hex(),
        "heads": [head_as_dict(head)],
    }


def _send_email(delivery: WitnessDelivery) -> None:
    head = delivery.head
    document = witness_document(head)
    text = render_to_string(
        "witnesses/head.txt",
        {
            "head": head,
            "signed_at": date_format(timezone.localtime(head.signed_at), "j F Y \\a\\t H:i T"),
            "site": settings.SITE_URL,
            "public_key": document["public_key"],
            "document": json.dumps(document, indent=2),
        },
    )
    first_line, _, body = text.strip().partition("\n")
    EmailMessage(
        subject=" ".join(first_line.split()),
        body=body.strip() + "\n",
        to=[delivery.witness],
        headers={"Message-ID": stable_message_id("witness", delivery.pk)},
    ).send()


def _send_webhook(delivery: WitnessDelivery) -> None:
    try:
        status = post_signed(
            delivery.witness,
            witness_document(delivery.head),
            secret=settings.LEDGER_WITNESS_SECRET,
            headers={"Fairhearing-Event": EVENT_NAME, "Fairhearing-Delivery": f"w{delivery.pk}"},
        )
    except urllib.error.HTTPError as exc:
        status = exc.code
    if not 200 <= status < 300:
        raise OSError(f"HTTP {status}")


def _record(delivery: WitnessDelivery, kind: EventKind) -> None:
    event_append(
        actor=None,
        kind=kind,
        payload={
            "witness_delivery": delivery.pk,
            "tree_size": delivery.head.tree_size,
            "by": "email" if delivery.by_email else "webhook",
            # The witness itself is in the delivery's row: the ledger carries no address.
            "witness_sha256": content_hash(delivery.witness),
            "attempts": delivery.attempts,
        },
    )


def witnesses_send_pending(*, now: dt.datetime | None = None, batch: int = 100) -> int:
    """Queue what is new, then send what is due. Returns how many were sent."""
    witness_deliveries_queue()
    now = now or timezone.now()
    due = (
        WitnessDelivery.objects.filter(
            status__in=[WitnessDelivery.Status.PENDING, WitnessDelivery.Status.FAILED],
            next_attempt_at__lte=now,
        )
        .select_related("head")
        .order_by("next_attempt_at", "pk")[:batch]
    )
    sent = 0
    for delivery in due:
        # A lease of ten minutes: a worker that dies mid-send leaves it to be sent again then.
        claimed = WitnessDelivery.objects.filter(
            pk=delivery.pk, attempts=delivery.attempts, status=delivery.status
        ).update(
            attempts=delivery.attempts + 1,
            next_attempt_at=timezone.now() + dt.timedelta(minutes=10),
        )
        if not claimed:
            continue
        delivery.attempts += 1
        try:
            if delivery.by_email:
                _send_email(delivery)
            else:
                _send_webhook(delivery)
        except Exception as exc:  # any mail or HTTP failure: retry later
            gave_up = delivery.attempts >= len(BACKOFF)
            log.warning("witness delivery %s failed: %s", delivery.pk, exc)
            with transaction.atomic():
                WitnessDelivery.objects.filter(pk=delivery.pk).update(
                    status=WitnessDelivery.Status.GAVE_UP
                    if gave_up
                    else WitnessDelivery.Status.FAILED,
                    last_error=str(exc)[:1000],
                    next_attempt_at=now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1],
                )
                if gave_up:
                    _record(delivery, EventKind.HEAD_NOT_SENT_TO_WITNESS)
            continue
        with transaction.atomic():
            # Conditional: if our lease lapsed and another worker sent it too, one records it.
            marked = (
                WitnessDelivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
                .exclude(status=WitnessDelivery.Status.SENT)
                .update(status=WitnessDelivery.Status.SENT, sent_at=now, last_error="")
            )
            if marked:
                _record(delivery, EventKind.HEAD_SENT_TO_WITNESS)
                sent += 1
    return sent
