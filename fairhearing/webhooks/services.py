"""Raising webhook events, and delivering them: signed (HMAC-SHA256 over timestamp and body),
retried with back-off, never in the way of the case (delivery is the worker's job)."""

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .models import Delivery, Endpoint, WebhookEvent

BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720, 1440)]
TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "Fairhearing-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(
    secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None
) -> bool:
    """What a receiver runs (see docs/api.md): check the signature and the timestamp's age."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def webhook_raise(
    *, case: Any, name: str, dedupe_key: str, details: dict[str, Any]
) -> WebhookEvent | None:
    """Record the event and a delivery per interested endpoint (inside the caller's transaction)."""
    if WebhookEvent.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    respondent = case.respondent
    payload = {
        "event": name,
        "case": case.reference,
        "member": {"membership_number": respondent.membership_number or None},
        **details,
    }
    event = WebhookEvent.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        name=name,
        payload=payload,
        dedupe_key=dedupe_key,
    )
    payload["id"] = str(event.id)
    payload["occurred_at"] = event.created_at.isoformat()
    event.payload = payload
    event.save(update_fields=["payload"])
    endpoints = [
        e for e in Endpoint.objects.filter(organisation_id=case.organisation_id) if e.wants(name)
    ]
    for endpoint in endpoints:
        Delivery.objects.create(endpoint=endpoint, event=event)
    event_append(
        actor=None,
        kind=EventKind.WEBHOOK_QUEUED,
        case_id=case.pk,
        payload={"webhook_event": str(event.id), "name": name, "deliveries": len(endpoints)},
    )
    return event


def webhooks_for_decision(*, case: Any, change: Any) -> None:
    """Sanctions and suspensions a decision imposes, varies or lifts."""
    details = {
        "sanction": change.sanction or case.sanction or None,
        "ends_on": (change.sanction_ends_on or case.sanction_ends_on).isoformat()
        if (change.sanction_ends_on or case.sanction_ends_on)
        else None,
    }
    key = f"{case.pk}:{change.pk}"
    if change.transition == "decide_upheld" and change.sanction:
        webhook_raise(
            case=case, name="sanction.imposed", dedupe_key=f"{key}:imposed", details=details
        )
        if change.sanction == "suspension":
            webhook_raise(
                case=case, name="suspension.started", dedupe_key=f"{key}:susp", details=details
            )
    elif change.transition == "appeal_sanction_varied":
        webhook_raise(
            case=case, name="sanction.varied", dedupe_key=f"{key}:varied", details=details
        )
    elif change.transition == "appeal_allowed":
        lifted = {"sanction": case.sanction or None, "ends_on": None}
        webhook_raise(case=case, name="sanction.lifted", dedupe_key=f"{key}:lifted", details=lifted)
        if case.sanction == "suspension":
            webhook_raise(
                case=case, name="suspension.ended", dedupe_key=f"{key}:susp-end", details=lifted
            )


def post_signed(url: str, document: Any, *, secret: str, headers: dict[str, str]) -> int:
    """POST `document` as canonical JSON, signed with `secret` (none when it is empty), and
    return the HTTP status; raises `urllib.error` errors and OSError as urlopen does. Used
    for membership systems' deliveries and for the ledger's witnesses (fairhearing.witnesses)."""
    body = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    signature = {SIGNATURE_HEADER: sign(secret, int(time.time()), body)} if secret else {}
    request = urllib.request.Request(  # noqa: S310 - the URL is an administrator's https/http endpoint
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Fairhearing-Webhooks/1",
            **signature,
            **headers,
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        return int(response.status)


def _post(delivery: Delivery) -> int:
    return post_signed(
        delivery.endpoint.url,
        delivery.event.payload,
        secret=delivery.endpoint.secret,
        headers={
            "Fairhearing-Event": delivery.event.name,
            "Fairhearing-Delivery": str(delivery.pk),
        },
    )


def webhooks_deliver_pending(*, now: dt.datetime | None = None, batch: int = 100) -> int:
    now = now or timezone.now()
    due = (
        Delivery.objects.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED], next_attempt_at__lte=now
        )
        .select_related("endpoint", "event")
        .order_by("next_attempt_at")[:batch]
    )
    delivered = 0
    for delivery in due:
        claimed = Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
            attempts=delivery.attempts + 1, next_attempt_at=now + dt.timedelta(minutes=10)
        )
        if not claimed:
            continue
        attempts = delivery.attempts + 1
        try:
            status = _post(delivery)
            error = "" if 200 <= status < 300 else f"HTTP {status}"
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            status, error = 0, str(exc)[:1000]
        if not error:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.DELIVERED,
                delivered_at=now,
                last_status_code=status,
                last_error="",
            )
            delivered += 1
            continue
        gave_up = attempts >= len(BACKOFF)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.GAVE_UP if gave_up else Delivery.Status.FAILED,
            last_status_code=status or None,
            last_error=error,
            next_attempt_at=now + BACKOFF[min(attempts, len(BACKOFF)) - 1],
        )
    return delivered


@transaction.atomic
def delivery_replay(*, actor: Any, delivery: Delivery) -> Delivery:
    """Send a delivery again now (from the delivery log). On the case's timeline, like the
    webhook event it sends."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    delivery.refresh_from_db()
    event_append(
        actor=actor,
        kind=EventKind.WEBHOOK_REPLAYED,
        case_id=delivery.event.case_id,
        payload={
            "delivery": delivery.pk,
            "webhook_event": str(delivery.event_id),
            "endpoint": delivery.endpoint_id,
        },
    )
    return delivery


@transaction.atomic
def webhook_endpoint_add(
    *, actor: Any, organisation: Any, url: str, secret: str, events: list[str]
) -> Endpoint:
    endpoint = Endpoint(organisation=organisation, url=url, secret=secret, events=events)
    endpoint.full_clean()
    endpoint.save()
    event_append(
        actor=actor,
        kind=EventKind.WEBHOOK_ENDPOINT_ADDED,
        payload={"endpoint": endpoint.pk, "events": events},
    )
    return endpoint
