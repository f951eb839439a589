"""Demo sanction compliance (issue 23, item 5; fictional people and notes only).

The demo's decisions already set their sanctions' conditions (a course for mandatory
education, the end of each suspension). Here: one course recorded as complied with (with the
certificate), one recorded as not complied with, an apology the case team added, and one
suspension whose end has passed, sent to the membership system: the League's membership
system is stood in for by a receiver on this machine while the demo loads (its endpoint is
then switched off, so the running demo sends nothing to an address that has gone); the
webhook log shows the deliveries, signed and answered.
"""

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.utils import timezone

from fairhearing.accounts.models import User
from fairhearing.cases.models import Case
from fairhearing.compliance.models import Condition
from fairhearing.compliance.services import (
    condition_add,
    condition_complied,
    condition_not_complied,
    sanction_ends_reach,
)
from fairhearing.evidence.services import Upload
from fairhearing.organisations.models import Organisation
from fairhearing.webhooks.models import Endpoint
from fairhearing.webhooks.services import webhook_endpoint_add, webhooks_deliver_pending

CERTIFICATE = (
    b"Northfield Cooperative League: equality and conduct course\n"
    b"This certifies that the member named completed the course on the date shown.\n"
)
DEMO_HOOK_SECRET = "whsec-demo-northfield-membership-system"  # noqa: S105 - a demo value, as its passwords


class _MembershipSystem(BaseHTTPRequestHandler):
    """Answers every delivery 204, as a membership system that took it would."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def compliance_demo(organisation: Organisation, users: dict[str, User]) -> None:
    officer = users["officer"]
    courses = list(
        Condition.objects.filter(
            case__organisation=organisation, kind=Condition.Kind.COURSE, status="open"
        ).order_by("due_on", "pk")[:2]
    )
    # A small demo (`load_demo --cases 40`) may have fewer courses to follow up.
    if courses:
        condition_complied(
            actor=officer,
            condition=courses[0],
            note="Certificate from the regional office's course, seen and filed.",
            proof=Upload(name="certificate.txt", data=CERTIFICATE),
        )
    if len(courses) > 1:
        condition_not_complied(
            actor=officer,
            condition=courses[1],
            reasons="The member did not enrol, and did not answer two letters; referred to "
            "the branch secretary under the procedure for breach of a sanction.",
        )
    warned = (
        Case.objects.filter(organisation=organisation, sanction="formal_warning")
        .exclude(outcome="appeal_allowed")
        .order_by("reference")
        .first()
    )
    if warned is not None:
        condition_add(
            actor=officer,
            case=warned,
            kind=Condition.Kind.APOLOGY,
            description="Write to the complainant to apologise for the post",
            due_on=timezone.localdate() + dt.timedelta(days=10),
        )
    _suspension_ended(organisation)


def _suspension_ended(organisation: Organisation) -> None:
    """The suspension decided longest ago ended last week: the sweep tells the membership
    system (a receiver on this machine while the demo loads)."""
    end = (
        Condition.objects.filter(
            case__organisation=organisation,
            kind=Condition.Kind.SANCTION_END,
            sanction="suspension",
            status="open",
            imposed_by__at__lt=timezone.now() - dt.timedelta(days=30),
        )
        .order_by("imposed_by__at")
        .first()
    )
    if end is None:
        return
    ended_on = timezone.localdate() - dt.timedelta(days=7)
    # The demo's history: this suspension was decided to end a week ago.
    Condition.objects.filter(pk=end.pk).update(due_on=ended_on)
    Case.objects.filter(pk=end.case_id).update(sanction_ends_on=ended_on)
    server = HTTPServer(("127.0.0.1", 0), _MembershipSystem)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = webhook_endpoint_add(
            actor=None,
            organisation=organisation,
            url=f"http://127.0.0.1:{server.server_port}/membership-system/hooks",
            secret=DEMO_HOOK_SECRET,
            events=["sanction.expired", "suspension.ended", "readmission_bar.ended"],
        )
        sanction_ends_reach()
        webhooks_deliver_pending()
    finally:
        server.shutdown()
        server.server_close()
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False)
