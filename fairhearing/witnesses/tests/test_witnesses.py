"""Each new signed head reaches the independent witnesses: by email (locmem backend) and by
webhook (a real HTTP receiver on loopback), retried, and recorded on the ledger either way."""

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from fairhearing.deadlines.tasks import deadline_sweep_task
from fairhearing.ledger import heads
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.services import event_append
from fairhearing.webhooks.services import SIGNATURE_HEADER, verify
from fairhearing.webhooks.tests.test_webhooks import Receiver
from fairhearing.witnesses.models import WitnessDelivery
from fairhearing.witnesses.services import BACKOFF, witnesses_send_pending

pytestmark = pytest.mark.django_db
OVERSIGHT = "oversight@northfield.invalid"
SECRET = "witness-test-secret"
SIGNED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _key(settings, tmp_path: Path) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"
    settings.LEDGER_WITNESS_SECRET = SECRET


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()


def append(n: int) -> None:
    with transaction.atomic():
        for _ in range(n):
            event_append(actor=None, kind=EventKind.CASE_VIEWED, payload={})


def witnessed(kind: EventKind) -> list[dict]:
    return [e.payload for e in Event.objects.filter(kind=kind).order_by("seq")]


def test_signing_sends_nothing_itself_and_the_worker_emails_the_head(settings) -> None:
    settings.LEDGER_WITNESSES = [OVERSIGHT]
    append(3)
    head = heads.tree_head_sign(at=SIGNED)
    assert mail.outbox == []  # signing never waits for a mail server
    assert witnesses_send_pending() == 1
    (message,) = mail.outbox
    assert message.to == [OVERSIGHT]
    assert (
        message.subject
        == "Fairhearing ledger: signed summary of 3 entries, 1 December 2026 at 09:00 GMT"
    )
    assert head.root_hash in message.body and "fairhearing ledger check-proof" in message.body
    assert witnessed(EventKind.HEAD_SENT_TO_WITNESS) == [
        {
            "witness_delivery": WitnessDelivery.objects.get().pk,
            "tree_size": 3,
            "by": "email",
            "witness_sha256": content_hash(OVERSIGHT),
            "attempts": 1,
        }
    ]
    assert witnesses_send_pending() == 0  # once per head
    assert len(mail.outbox) == 1


def test_the_emailed_head_is_what_check_proof_reads(settings, tmp_path: Path, capsys) -> None:
    settings.LEDGER_WITNESSES = [OVERSIGHT]
    append(4)
    heads.tree_head_sign(at=SIGNED)
    witnesses_send_pending()
    body = mail.outbox[0].body
    saved = tmp_path / "head.json"
    saved.write_text(body.split("-" * 75)[1])
    assert json.loads(saved.read_text())["heads"][0]["tree_size"] == 4
    append(2)
    call_command("ledger", "check-proof", str(saved))
    assert "the head of 4 events signed 2026-12-01T09:00:00+00:00: OK" in capsys.readouterr().out


def test_a_webhook_witness_gets_the_head_signed_and_in_the_heads_listing_shape(
    settings, receiver: Receiver, client: Client
) -> None:
    settings.LEDGER_WITNESSES = [receiver.url]
    append(2)
    heads.tree_head_sign(at=SIGNED)
    assert witnesses_send_pending() == 1
    ((headers, body),) = receiver.received
    assert verify(SECRET, headers[SIGNATURE_HEADER], body)
    assert headers["Fairhearing-Event"] == "ledger.head_signed"
    document = json.loads(body)
    listing = client.get("/ledger/heads").json()
    assert document["heads"] == listing["heads"] and document["public_key"] == listing["public_key"]
    assert witnessed(EventKind.HEAD_SENT_TO_WITNESS)[0]["by"] == "webhook"


def test_a_witness_that_keeps_failing_is_retried_then_recorded_as_missed(
    settings, receiver: Receiver
) -> None:
    settings.LEDGER_WITNESSES = [receiver.url, OVERSIGHT]
    receiver.status = 500
    append(2)
    heads.tree_head_sign(at=SIGNED)
    assert witnesses_send_pending() == 1  # the email goes; the webhook fails
    delivery = WitnessDelivery.objects.get(witness=receiver.url)
    assert (delivery.status, delivery.last_error) == (WitnessDelivery.Status.FAILED, "HTTP 500")
    later = delivery.next_attempt_at
    for _ in range(len(BACKOFF) - 1):
        later += dt.timedelta(days=2)
        witnesses_send_pending(now=later)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WitnessDelivery.Status.GAVE_UP, len(BACKOFF))
    assert len(receiver.received) == len(BACKOFF)
    (missed,) = witnessed(EventKind.HEAD_NOT_SENT_TO_WITNESS)
    assert (missed["by"], missed["tree_size"], missed["attempts"]) == ("webhook", 2, len(BACKOFF))


def test_a_new_witness_gets_the_latest_head_then_every_one_after(settings) -> None:
    append(2)
    heads.tree_head_sign(at=SIGNED)
    append(2)
    heads.tree_head_sign(at=SIGNED + dt.timedelta(hours=1))
    settings.LEDGER_WITNESSES = [OVERSIGHT]
    witnesses_send_pending()
    assert [str(m.subject).split(" entries")[0][-1] for m in mail.outbox] == ["4"]
    # The sent event grew the ledger: the next head covers it, and goes out too.
    append(1)
    heads.tree_head_sign(at=SIGNED + dt.timedelta(hours=2))
    witnesses_send_pending()
    heads_sent = [d.head.tree_size for d in WitnessDelivery.objects.order_by("pk")]
    assert heads_sent == [4, 6]


def test_no_witness_configured_sends_nothing(settings) -> None:
    settings.LEDGER_WITNESSES = []
    append(2)
    heads.tree_head_sign()
    assert witnesses_send_pending() == 0
    assert not WitnessDelivery.objects.exists() and mail.outbox == []


def test_the_sweep_sends_the_head_it_signs(settings) -> None:
    settings.LEDGER_WITNESSES = [OVERSIGHT]
    append(2)
    counts = deadline_sweep_task.call()
    assert counts["witness_deliveries"] == 1
    (message,) = [m for m in mail.outbox if m.to == [OVERSIGHT]]
    latest = heads.latest_head()
    assert latest is not None and latest.root_hash in message.body
