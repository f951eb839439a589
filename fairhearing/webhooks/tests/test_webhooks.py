"""Webhooks against a real HTTP receiver on loopback."""

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.conftest import PASSWORD, TO_HEARING, make_user, walk
from fairhearing.people.models import Person
from fairhearing.webhooks.models import Delivery, Endpoint, WebhookEvent
from fairhearing.webhooks.services import (
    SIGNATURE_HEADER,
    sign,
    verify,
    webhooks_deliver_pending,
)
from fairhearing.workflow.services import case_schedule_hearing

pytestmark = pytest.mark.django_db
SECRET = "whsec-test-secret"


class Receiver:
    """A membership system's endpoint: records what it gets, answers with `status`."""

    def __init__(self) -> None:
        self.received: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(organisation) -> Iterator[Receiver]:
    r = Receiver()
    Endpoint.objects.create(organisation=organisation, url=r.url, secret=SECRET)
    yield r
    r.server.shutdown()


def upheld(case, case_officer, sanction: str = "formal_warning"):
    Person.objects.filter(pk=case.respondent_id).update(membership_number="M4471")
    case = walk(case, case_officer, *TO_HEARING)
    case_schedule_hearing(
        actor=case_officer, case=case, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    return walk(case, case_officer, "hearing_held", "decide_upheld")


def test_a_sanction_is_delivered_signed(case, case_officer, receiver) -> None:
    upheld(case, case_officer)
    assert webhooks_deliver_pending() == 1
    ((headers, body),) = receiver.received
    payload = json.loads(body)
    assert (payload["event"], payload["case"], payload["sanction"]) == (
        "sanction.imposed",
        case.reference,
        "formal_warning",
    )
    assert payload["member"] == {"membership_number": "M4471"}
    assert headers["Fairhearing-Event"] == "sanction.imposed"
    assert verify(SECRET, headers[SIGNATURE_HEADER], body)
    assert not verify("wrong-secret", headers[SIGNATURE_HEADER], body)
    assert not verify(SECRET, headers[SIGNATURE_HEADER], body + b" ")


def test_an_old_signature_is_refused() -> None:
    header = sign(SECRET, 1_000_000, b"{}")
    assert verify(SECRET, header, b"{}", now=1_000_100)
    assert not verify(SECRET, header, b"{}", now=1_000_000 + 3600)


def test_a_receiver_that_is_down_never_blocks_the_case_and_is_retried(
    case, case_officer, receiver
) -> None:
    receiver.status = 503
    case = upheld(case, case_officer)
    assert case.stage == "appeal_window"  # the decision stands
    now = timezone.now()
    assert webhooks_deliver_pending(now=now) == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, 503)
    assert webhooks_deliver_pending(now=now + dt.timedelta(seconds=20)) == 0  # backing off
    receiver.status = 200
    assert webhooks_deliver_pending(now=now + dt.timedelta(minutes=2)) == 1
    assert Delivery.objects.get().status == "delivered"
    assert len(receiver.received) == 2


def test_an_unreachable_receiver_is_logged(case, case_officer, organisation) -> None:
    Endpoint.objects.create(
        organisation=organisation, url="http://127.0.0.1:9/nowhere", secret=SECRET
    )
    upheld(case, case_officer)
    assert webhooks_deliver_pending() == 0
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.last_error


def test_a_suspension_starts_with_its_decision(case, case_officer, receiver) -> None:
    """Its end, the day after its end date, is the compliance app's (compliance/tests)."""
    case = upheld(case, case_officer)
    assert set(WebhookEvent.objects.values_list("name", flat=True)) == {"sanction.imposed"}


def test_administrators_replay_a_delivery_from_the_log(
    case, case_officer, receiver, organisation
) -> None:
    upheld(case, case_officer)
    webhooks_deliver_pending()
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR)
    client = Client()
    client.login(username=admin.username, password=PASSWORD)
    page = client.get(reverse("webhooks:log")).content.decode()
    assert "sanction.imposed" in page and case.reference in page
    delivery = Delivery.objects.get()
    assert client.post(reverse("webhooks:replay", args=[delivery.pk])).status_code == 302
    assert webhooks_deliver_pending() == 1
    assert len(receiver.received) == 2
    officer = Client()
    officer.login(username=case_officer.username, password=PASSWORD)
    assert officer.get(reverse("webhooks:log")).status_code == 403


def test_the_command_adds_an_endpoint_through_the_service(organisation) -> None:
    from django.core.management import call_command

    from fairhearing.ledger.models import Event, EventKind

    call_command(
        "webhooks",
        "add",
        "https://members.example.invalid/hooks",
        "--secret",
        "s3cret",
        "--event",
        "sanction.imposed",
    )
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["sanction.imposed"] and endpoint.wants("sanction.imposed")
    assert not endpoint.wants("suspension.started")
    assert Event.objects.filter(kind=EventKind.WEBHOOK_ENDPOINT_ADDED).count() == 1
