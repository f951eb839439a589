"""Queueing and sending notifications. A notification is queued in the same transaction as the
change that causes it (an outbox), so it exists exactly when the change does; the worker sends
it, and retries with back-off when the mail server fails."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from fairhearing.core.mail import stable_message_id
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.worker import faults

from .models import Notification

log = logging.getLogger(__name__)
BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]

NOTICE_TRANSITIONS = {"assess_investigate", "informal_failed"}
DECISION_TRANSITIONS = {"decide_upheld", "decide_not_upheld"}
APPEAL_TRANSITIONS = {"appeal_dismissed", "appeal_allowed", "appeal_sanction_varied"}


def _queue(
    case: Any, kind: str, *, email: str, name: str, role: str, context: dict
) -> Notification | None:
    if not email:
        return None  # no address: staff see it on the case and write by post
    return Notification.objects.create(
        case=case, kind=kind, to_email=email, to_name=name, role=role, context=context
    )


def _parties(case: Any, *, respondent: bool = True) -> list[tuple[Any, str]]:
    people = [
        (p.person, "complainant")
        for p in case.parties.filter(role="complainant").select_related("person")
    ]
    if respondent:
        people.insert(0, (case.respondent, "respondent"))
    return people


def _due(case: Any, kind: str) -> str:
    deadline = case.deadlines.filter(kind=kind, status="open").first()
    return f"{timezone.localtime(deadline.due_at):%d %B %Y}" if deadline else ""


def notifications_for_decision(*, case: Any, change: Any) -> None:
    """Queue what the parties must be told of a decision that has taken effect."""
    spec = case.rulebook.spec
    base = {
        "reference": case.reference,
        # "The panel has decided: allegations upheld", not "...: Decision: allegations upheld".
        "decision": spec.transitions[change.transition].label.removeprefix("Decision: "),
        "reasons": change.reasons,
        "rule_applied": change.rule_applied,
        "stage": spec.stage_label(case.stage),
        "sanction": spec.sanctions[change.sanction].label if change.sanction else "",
        "sanction_ends_on": f"{change.sanction_ends_on:%d %B %Y}"
        if change.sanction_ends_on
        else "",
        "outcome": spec.outcomes.get(case.outcome, ""),
        "portal_url": settings.SITE_URL + "/portal/",
    }
    if change.transition in NOTICE_TRANSITIONS:
        r = case.respondent
        _queue(
            case,
            Notification.Kind.NOTICE_OF_ALLEGATIONS,
            email=r.email,
            name=r.full_name,
            role="respondent",
            context={
                **base,
                "reply_due": _due(case, "respondent_reply"),
                "allegations": [a.description for a in case.allegations.all()],
            },
        )
    elif change.transition in DECISION_TRANSITIONS:
        for person, role in _parties(case):
            _queue(
                case,
                Notification.Kind.DECISION,
                email=person.email,
                name=person.full_name,
                role=role,
                context={**base, "appeal_due": _due(case, "appeal_window")},
            )
    elif change.transition in APPEAL_TRANSITIONS:
        for person, role in _parties(case):
            _queue(
                case,
                Notification.Kind.APPEAL_OUTCOME,
                email=person.email,
                name=person.full_name,
                role=role,
                context=base,
            )
    elif change.to_stage == "closed":
        told_respondent = case.stage_changes.filter(transition__in=NOTICE_TRANSITIONS).exists()
        for person, role in _parties(case, respondent=told_respondent):
            _queue(
                case,
                Notification.Kind.CASE_CLOSED,
                email=person.email,
                name=person.full_name,
                role=role,
                context=base,
            )
    transaction.on_commit(_enqueue_send)


def notifications_for_hearing(*, case: Any) -> None:
    r = case.respondent
    _queue(
        case,
        Notification.Kind.HEARING_INVITATION,
        email=r.email,
        name=r.full_name,
        role="respondent",
        context={
            "reference": case.reference,
            "hearing_at": f"{timezone.localtime(case.hearing_at):%A %d %B %Y at %H:%M}",
            "portal_url": settings.SITE_URL + "/portal/",
        },
    )
    transaction.on_commit(_enqueue_send)


def notifications_for_challenge(*, challenge: Any, on_panel: bool) -> None:
    """Tell the party who raised a challenge for bias how it was decided, and why."""
    person = challenge.raised_by
    case = challenge.case
    _queue(
        case,
        Notification.Kind.CHALLENGE_DECIDED,
        email=person.email,
        name=person.full_name,
        role="respondent" if person.pk == case.respondent_id else "complainant",
        context={
            "reference": case.reference,
            "member": challenge.challenged.display_name,
            "member_is": "a member of the panel" if on_panel else "a member of the case team",
            "replaced": "Another member will be drawn at random from those with no connection "
            "to the case."
            if on_panel
            else "Someone else on the case team will take over.",
            "upheld": challenge.decision == "upheld",
            "reasons": challenge.decision_reasons,
            "raised_on": f"{timezone.localtime(challenge.raised_at):%d %B %Y}",
            "portal_url": settings.SITE_URL + "/portal/",
        },
    )
    transaction.on_commit(_enqueue_send)


def _enqueue_send() -> None:
    from .tasks import notifications_send_task

    try:
        notifications_send_task.enqueue()
    except Exception:  # the periodic sweep sends it anyway
        log.exception("could not enqueue notification sending")


def _send(notification: Notification) -> None:
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
    due = Notification.objects.filter(
        status__in=[Notification.Status.QUEUED, Notification.Status.FAILED],
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at")[:batch]
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


def staff_digests_queue(*, now: dt.datetime | None = None) -> int:
    """Once a day, each member of a case team gets a digest of their cases' time limits:
    what is overdue and what falls due in the next week."""
    from fairhearing.accounts.models import User
    from fairhearing.deadlines.models import Deadline

    now = now or timezone.now()
    today = timezone.localdate(now)
    soon = now + dt.timedelta(days=7)
    queued = 0
    staff = (
        User.objects.filter(assignments__ended_at__isnull=True, is_active=True)
        .exclude(email="")
        .distinct()
    )
    # Address and context are encrypted (core/crypto.py): today's digests are compared here.
    sent_today = {
        n.to_email
        for n in Notification.objects.filter(
            kind=Notification.Kind.STAFF_DIGEST, created_at__gte=now - dt.timedelta(days=2)
        )
        if (n.context or {}).get("date") == today.isoformat()
    }
    for user in staff:
        if user.email in sent_today:
            continue
        deadlines = (
            Deadline.objects.filter(
                status=Deadline.Status.OPEN,
                binds=Deadline.Binds.ORGANISATION,
                due_at__lt=soon,
                case__assignments__user=user,
                case__assignments__ended_at__isnull=True,
            )
            .select_related("case")
            .order_by("due_at")
            .distinct()
        )
        lines = [
            {
                "reference": d.case.reference,
                "label": d.label,
                "due": f"{timezone.localtime(d.due_at):%d %B %Y}",
                "overdue": d.due_at < now,
            }
            for d in deadlines
        ]
        if not lines:
            continue
        Notification.objects.create(
            kind=Notification.Kind.STAFF_DIGEST,
            to_email=user.email,
            to_name=user.display_name,
            role="staff",
            context={"date": today.isoformat(), "lines": lines, "site_url": settings.SITE_URL},
            created_at=now,
        )
        queued += 1
    return queued
