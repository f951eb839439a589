"""XSS and header injection through the emails Fairhearing sends.

Every letter kind (notifications.Notification.Kind) is sent by the real sending path with the
payload, and hostile line breaks, in its recipient's name and in every value its template
reads; and every email the XSS world (xss.py) causes (acknowledgements, sign-in links, message
alerts, the letters of a case walked to a decision), plus the sweeps' reminders and updates
(deadlines, complainants' updates, subject access, legal hold reviews),
is read from the outbox. In each: the HTML alternative shows the payload only escaped, and the
subject is one line.

Checked that it can fail: `{{ body|linebreaks }}` made `{{ body|safe|linebreaks }}` in
notifications/email/wrapper.html failed
`test_every_letter_kind_escapes_its_html_and_keeps_a_one_line_subject` and
`test_every_email_the_world_causes_is_escaped`; taking out the subject's whitespace
collapsing in notifications/services.py `_send` failed the first (the letter was refused by
Django's BadHeaderError and never sent); both restored.
"""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from fairhearing.dataprotection.services import legal_hold_reviews_due, subject_access_sweep
from fairhearing.deadlines.services import deadline_sweep
from fairhearing.intake.services import complaint_acknowledge_by_email
from fairhearing.notifications.models import Notification
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.portal.services import complainant_updates_send

from .xss import ESCAPED, PAYLOAD, RAW, build_xss_world

pytestmark = pytest.mark.django_db

BREAK = "\rBcc: mallory@example.invalid\r\n\r\n"  # a bare CR, a header, then a body
HOSTILE = PAYLOAD + BREAK + PAYLOAD


def hostile_context() -> dict[str, Any]:
    """Every value any letter template reads, hostile (the reference and date too, though we
    make those ourselves: the subject is their line)."""
    return {
        key: HOSTILE
        for key in (
            "reference",
            "decision",
            "reasons",
            "rule_applied",
            "stage",
            "sanction",
            "sanction_ends_on",
            "outcome",
            "portal_url",
            "reply_due",
            "appeal_due",
            "hearing_at",
            "date",
            "site_url",
        )
    } | {
        "allegations": [HOSTILE, HOSTILE],
        "lines": [{"reference": HOSTILE, "label": HOSTILE, "due": HOSTILE, "overdue": True}],
    }


def html_of(message: mail.EmailMessage) -> list[str]:
    return [
        str(content)
        for content, mimetype in getattr(message, "alternatives", [])
        if mimetype == "text/html"
    ]


def assert_safe(message: mail.EmailMessage) -> None:
    assert "\n" not in message.subject and "\r" not in message.subject, message.subject
    # The real message, headers and all: no header was added, nobody else gets a copy.
    built = message.message()
    assert built.get_all("Bcc") is None and built.get_all("Cc") is None
    assert "mallory@example.invalid" not in message.recipients()
    for html in html_of(message):
        for raw in RAW:
            assert raw not in html, (message.subject, raw)


def test_every_letter_kind_escapes_its_html_and_keeps_a_one_line_subject(organisation) -> None:
    for kind in Notification.Kind.values:
        Notification.objects.create(
            kind=kind,
            to_email=f"{kind}@example.invalid",
            to_name="N " + HOSTILE,
            role="respondent",
            context=hostile_context(),
        )
    mail.outbox.clear()
    assert notifications_send_pending() == len(Notification.Kind.values)
    assert not Notification.objects.exclude(status=Notification.Status.SENT).exists()
    sent = {message.to[0].split("@")[0]: message for message in mail.outbox}
    assert set(sent) == set(Notification.Kind.values)
    for kind, message in sent.items():
        assert_safe(message)
        (html,) = html_of(message)
        assert any(e in html for e in ESCAPED), (kind, "the payload is not in the HTML")
        assert "N &lt;script&gt;" in html, (kind, "the name is not in the HTML")
        assert PAYLOAD in str(message.body), (kind, "the text part is plain text, as written")


def test_every_email_the_world_causes_is_escaped(organisation) -> None:
    mail.outbox.clear()
    world = build_xss_world(organisation)
    complaint_acknowledge_by_email(complaint=world.case.complaints.get())
    now = timezone.now()
    for days in (3, 10, 30):  # reminders to the case teams, before their limits lapse
        deadline_sweep(now=now + dt.timedelta(days=days))
    later = now + dt.timedelta(days=120)
    complainant_updates_send(now=later)  # three-monthly updates to complainants
    subject_access_sweep(now=later)  # the subject access request is overdue
    legal_hold_reviews_due(today=timezone.localdate(later))  # the held case's review
    with_payload = 0
    for message in mail.outbox:
        assert_safe(message)
        with_payload += any(e in html for html in html_of(message) for e in ESCAPED)
    subjects = " | ".join(str(m.subject) for m in mail.outbox)
    # The letters (notice, decision), the acknowledgement and the sign-in links carry names.
    assert with_payload >= 4, subjects
    for expected in (
        "received your complaint",
        "sign-in link",
        "A message about",
        "complaint about you",
        "Your hearing",
        "decision on case",
        "% of the time",
        "An update on your complaint",
        "Subject access request",
        "review due",
    ):
        assert expected in subjects, expected
