"""Queueing and sending notifications. A notification is queued in the same transaction as the
change that causes it (an outbox), so it exists exactly when the change does; the worker sends
it, and retries with back-off when the mail server fails."""

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, gettext_noop

from fairhearing.accounts.models import User
from fairhearing.compliance.models import Condition
from fairhearing.compliance.services import conditions_overdue, conditions_to_remind
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.models import Deadline
from fairhearing.deadlines.services import (
    calendar_for,
    deadlines_start_on_service,
    served_on_for,
    service_day_start,
)
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.models import Organisation
from fairhearing.panels.models import TrainingRecord
from fairhearing.people.services import language_for, writing_to
from fairhearing.portal.models import SignInLink
from fairhearing.portal.services import sign_in_link_extend, sign_in_link_new
from fairhearing.surveys.services import survey_invitations_make

from .letters import LetterText, letter_render
from .models import Notification
from .tasks import notifications_send_task

log = logging.getLogger(__name__)
# A sign-in link printed in a letter: it must outlast the post and the reply window.
LETTER_LINK_LIFETIME = dt.timedelta(days=30)

NOTICE_TRANSITIONS = {"assess_investigate", "informal_failed"}
DECISION_TRANSITIONS = {"decide_upheld", "decide_not_upheld"}
APPEAL_TRANSITIONS = {"appeal_dismissed", "appeal_allowed", "appeal_sanction_varied"}


def in_their_language(person: Any, make: Callable[..., str], *args: Any) -> str:
    """`make(*args)` (a date in words, say) in the language the person chose, for a message
    written to them later in it (`notifications.sending`)."""
    with writing_to(person):
        return make(*args)


def _queue(case: Any, kind: str, *, person: Any, role: str, context: dict) -> Notification:
    """An email to `person`, or, if they have no email address, a letter for staff to print
    and post (with a one-time sign-in link for the portal printed in it)."""
    if person.email:
        return Notification.objects.create(
            case=case,
            kind=kind,
            person=person,
            to_email=person.email,
            to_name=person.full_name,
            role=role,
            context=context,
        )
    return letter_queue(case=case, kind=kind, person=person, role=role, context=context)


# Nothing read two ways on paper (no i, l, o, 0, 1).
LETTER_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def letter_token() -> str:
    """A sign-in token a person can type from paper: 24 characters in four groups (117 bits;
    only its hash is kept, and it works once, for 30 days)."""
    chars = "".join(secrets.choice(LETTER_ALPHABET) for _ in range(24))
    return "-".join(chars[i : i + 6] for i in range(0, 24, 6))


def letter_queue(*, case: Any, kind: str, person: Any, role: str, context: dict) -> Notification:
    """A letter to a party without email, to print and post (in the caller's transaction):
    listed on the case as owed until staff record it posted, with a sign-in link of its own."""
    link, token = sign_in_link_new(
        case=case, person=person, role=role, lifetime=LETTER_LINK_LIFETIME, token=letter_token()
    )
    letter = Notification.objects.create(
        case=case,
        kind=kind,
        channel=Notification.Channel.POST,
        status=Notification.Status.TO_POST,
        person=person,
        to_name=person.full_name,
        role=role,
        context={
            **context,
            "sign_in_link": link.pk,
            "sign_in_url": settings.SITE_URL + reverse("portal:sign_in", args=[token]),
        },
    )
    event_append(
        actor=None,
        kind=EventKind.LETTER_TO_POST,
        case_id=case.pk,
        payload={"notification": letter.pk, "kind": kind, "role": role, "person": person.pk},
    )
    return letter


def _parties(case: Any, *, respondent: bool = True) -> list[tuple[Any, str]]:
    people = [
        (p.person, "complainant")
        for p in case.parties.filter(role="complainant").select_related("person")
    ]
    if respondent:
        people.insert(0, (case.respondent, "respondent"))
    return people


def day_in_words(value: dt.date | dt.datetime) -> str:
    """A day in a letter or email ("05 March 2026"), in the language active (the party's:
    see `in_their_language`)."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return date_format(value, "d F Y")


def _hearing_in_words(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return gettext("%(day)s at %(time)s") % {
        "day": date_format(local, "l d F Y"),
        "time": time_format(local, "H:i"),
    }


def _due(case: Any, kind: str, person: Any) -> str:
    deadline = case.deadlines.filter(kind=kind, status="open").first()
    return in_their_language(person, day_in_words, deadline.due_at) if deadline else ""


def notifications_for_decision(*, case: Any, change: Any) -> None:
    """Queue what the parties must be told of a decision that has taken effect, each with
    its dates in the party's language (the words themselves are translated as it is sent)."""
    spec = case.rulebook.spec
    conditions = list(
        Condition.objects.filter(imposed_by=change)
        .exclude(kind=Condition.Kind.SANCTION_END)
        .order_by("due_on", "pk")
    )

    def dated(person: Any) -> dict[str, Any]:
        return {
            "sanction_ends_on": in_their_language(person, day_in_words, change.sanction_ends_on)
            if change.sanction_ends_on
            else "",
            # What the sanction asks of the person sanctioned, each by its date (compliance).
            "conditions": [
                {
                    "description": c.description,
                    "due": in_their_language(person, date_format, c.due_on, "j F Y"),
                }
                for c in conditions
            ],
        }

    base = {
        "reference": case.reference,
        # "The panel has decided: allegations upheld", not "...: Decision: allegations upheld".
        "decision": spec.transitions[change.transition].label.removeprefix("Decision: "),
        "reasons": change.reasons,
        "rule_applied": change.rule_applied,
        "stage": spec.stage_label(case.stage),
        "sanction": spec.sanctions[change.sanction].label if change.sanction else "",
        "outcome": spec.outcomes.get(case.outcome, ""),
        "portal_url": settings.SITE_URL + "/portal/",
    }
    if change.transition in NOTICE_TRANSITIONS:
        _queue(
            case,
            Notification.Kind.NOTICE_OF_ALLEGATIONS,
            person=case.respondent,
            role="respondent",
            context={
                **base,
                **dated(case.respondent),
                "reply_due": _due(case, "respondent_reply", case.respondent),
                "allegations": [a.description for a in case.allegations.all()],
            },
        )
    elif change.transition in DECISION_TRANSITIONS:
        for person, role in _parties(case):
            _queue(
                case,
                Notification.Kind.DECISION,
                person=person,
                role=role,
                context={
                    **base,
                    **dated(person),
                    "appeal_due": _due(case, "appeal_window", person),
                },
            )
    elif change.transition in APPEAL_TRANSITIONS:
        for person, role in _parties(case):
            _queue(
                case,
                Notification.Kind.APPEAL_OUTCOME,
                person=person,
                role=role,
                context={**base, **dated(person)},
            )
    elif change.to_stage == "closed":
        told_respondent = case.stage_changes.filter(transition__in=NOTICE_TRANSITIONS).exists()
        for person, role in _parties(case, respondent=told_respondent):
            _queue(
                case,
                Notification.Kind.CASE_CLOSED,
                person=person,
                role=role,
                context={**base, **dated(person)},
            )
    transaction.on_commit(_enqueue_send)


def notifications_for_survey(*, actor: Any, case: Any) -> None:
    """Invite the parties of a case that has just closed to the confidence survey, by email
    (R-55): those told of its closing, as `notifications_for_decision` tells them (the
    respondent only once given notice of the allegations). A party without email is not
    asked: the survey has no letter."""
    told_respondent = case.stage_changes.filter(transition__in=NOTICE_TRANSITIONS).exists()
    invited = survey_invitations_make(
        actor=actor, case=case, parties=_parties(case, respondent=told_respondent)
    )
    for invitation, token in invited:
        _queue(
            case,
            Notification.Kind.SURVEY_INVITATION,
            person=invitation.person,
            role=invitation.role,
            context={
                "reference": case.reference,
                "survey_url": settings.SITE_URL + reverse("surveys:answer", args=[token]),
                "expires_on": in_their_language(
                    invitation.person,
                    date_format,
                    timezone.localtime(invitation.expires_at),
                    "j F Y",
                ),
            },
        )
    if invited:
        transaction.on_commit(_enqueue_send)


def notifications_for_hearing(*, case: Any) -> None:
    _queue(
        case,
        Notification.Kind.HEARING_INVITATION,
        person=case.respondent,
        role="respondent",
        context={
            "reference": case.reference,
            "hearing_at": in_their_language(case.respondent, _hearing_in_words, case.hearing_at),
            "portal_url": settings.SITE_URL + "/portal/",
        },
    )
    transaction.on_commit(_enqueue_send)


ON_PANEL = gettext_noop("a member of the panel")
ON_CASE_TEAM = gettext_noop("a member of the case team")
REPLACED_ON_PANEL = gettext_noop(
    "Another member will be drawn at random from those with no connection to the case."
)
REPLACED_ON_CASE_TEAM = gettext_noop("Someone else on the case team will take over.")


def notifications_for_challenge(*, challenge: Any, on_panel: bool) -> None:
    """Tell the party who raised a challenge for bias how it was decided, and why."""
    person = challenge.raised_by
    case = challenge.case
    _queue(
        case,
        Notification.Kind.CHALLENGE_DECIDED,
        person=person,
        role="respondent" if person.pk == case.respondent_id else "complainant",
        context={
            "reference": case.reference,
            "member": challenge.challenged.display_name,
            # In English here, translated as the email is written (notifications.sending).
            "member_is": ON_PANEL if on_panel else ON_CASE_TEAM,
            "replaced": REPLACED_ON_PANEL if on_panel else REPLACED_ON_CASE_TEAM,
            "upheld": challenge.decision == "upheld",
            "reasons": challenge.decision_reasons,
            "raised_on": in_their_language(person, day_in_words, challenge.raised_at),
            "portal_url": settings.SITE_URL + "/portal/",
        },
    )
    transaction.on_commit(_enqueue_send)


def _enqueue_send() -> None:
    try:
        notifications_send_task.enqueue()
    except Exception:  # the periodic sweep sends it anyway
        log.exception("could not enqueue notification sending")


def staff_digests_queue(*, now: dt.datetime | None = None) -> int:
    """Once a day, each member of a case team gets a digest of their cases' time limits:
    what is overdue and what falls due in the next week."""

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


def training_reminders_queue(*, today: dt.date | None = None) -> int:
    """R-64: tell each active member of staff or panellist, once, when training their
    organisation's rulebook requires expires within its `reminder_days`: one email listing
    the courses. A course renewed already (a later record of it) is not mentioned."""
    today = today or timezone.localdate()
    queued = 0
    for organisation in Organisation.objects.all():
        spec = organisation.current_rulebook().spec
        named = {
            name.strip().casefold()
            for group in ("case_team", "panel")
            for name in spec.training_required(group)
        }
        horizon = today + dt.timedelta(days=spec.training_reminder_days)
        records = TrainingRecord.objects.filter(
            user__organisation=organisation,
            user__is_active=True,
            expires_on__gte=today,
            expires_on__lte=horizon,
            reminded_on__isnull=True,
        ).select_related("user")
        due: dict[Any, list[TrainingRecord]] = {}
        for record in records:
            if named and record.course.strip().casefold() not in named:
                continue
            renewed = TrainingRecord.objects.filter(
                user=record.user, course__iexact=record.course.strip(), expires_on__gt=horizon
            ).exists()
            if not renewed:
                due.setdefault(record.user, []).append(record)
        for user, held in due.items():
            if user.email:
                Notification.objects.create(
                    kind=Notification.Kind.TRAINING_EXPIRING,
                    to_email=user.email,
                    to_name=user.display_name,
                    role="staff",
                    context={
                        "courses": [
                            {"name": r.course, "expires": date_format(r.expires_on, "j F Y")}
                            for r in sorted(held, key=lambda r: r.expires_on)
                        ]
                    },
                )
                queued += 1
            # Told once, or (with no address) noted as due, so neither repeats daily.
            TrainingRecord.objects.filter(pk__in=[r.pk for r in held]).update(reminded_on=today)
    return queued


def compliance_notices_queue(*, today: dt.date | None = None) -> int:
    """Issue 23, item 5: remind the person sanctioned of each condition falling due within
    the rulebook's `compliance.reminder_days` (an email, or a letter to post), and tell the
    case team of each condition past its date and not recorded (if nobody on the team has
    an address, every active case officer of the organisation), each once."""
    today = today or timezone.localdate()
    queued = 0
    with transaction.atomic():
        for condition in conditions_to_remind(today=today):
            case = condition.case
            _queue(
                case,
                Notification.Kind.CONDITION_REMINDER,
                person=case.respondent,
                role="respondent",
                context={
                    "reference": case.reference,
                    "condition": condition.description,
                    "due": in_their_language(
                        case.respondent, date_format, condition.due_on, "j F Y"
                    ),
                    "contact": case.rulebook.spec.letters_contact,
                },
            )
            queued += 1
    with transaction.atomic():
        for condition in conditions_overdue(today=today):
            case = condition.case
            team = list(
                User.objects.filter(
                    assignments__case=case, assignments__ended_at__isnull=True, is_active=True
                )
                .exclude(email="")
                .distinct()
            )
            if not team:
                team = list(
                    User.objects.filter(
                        organisation_id=case.organisation_id,
                        role="case_officer",
                        is_active=True,
                    ).exclude(email="")
                )
            for user in team:
                Notification.objects.create(
                    case=case,
                    kind=Notification.Kind.CONDITION_OVERDUE,
                    to_email=user.email,
                    to_name=user.display_name,
                    role="staff",
                    context={
                        "reference": case.reference,
                        "condition": condition.description,
                        "due": date_format(condition.due_on, "j F Y"),
                        "case_url": settings.SITE_URL
                        + reverse("cases:detail", args=[case.reference])
                        + "#sanction",
                    },
                )
                queued += 1
    return queued


# --- letters for post ----------------------------------------------------------------------

LETTER_ALREADY_POSTED = "This letter has already been recorded as posted."
LETTER_NEEDS_ADDRESS = "Add the postal address of {name} before recording the letter as posted."
LETTER_POSTED_ON = "The date of posting must be between {made} and today."
# The letters that tell the respondent of a decision whose time limit binds them: posting one
# starts the limits that wait for it, from the date of service.
SERVES_LIMITS = {Notification.Kind.NOTICE_OF_ALLEGATIONS, Notification.Kind.DECISION}
# Which date in a letter each waiting limit gives (the templates' names for them).
DUE_IN_LETTER = {"respondent_reply": "reply_due", "appeal_window": "appeal_due"}


class LetterError(CaseError):
    """A refused record of a letter; the message is for people."""


def letter_text(letter: Notification, *, on: dt.date | None = None) -> LetterText:
    """The letter as it will be posted on `on` (today, by default) or as it was posted: the
    dates a party must act by are counted from the date of service, as the service records
    them when the letter is recorded as posted."""
    case, person = letter.case, letter.person
    assert case is not None and person is not None
    posted_on = letter.posted_on or on or timezone.localdate()
    served_on = letter.served_on or served_on_for(case, posted_on)
    context = {**letter.context, "name": letter.to_name, "role": letter.role, "by_post": True}
    calendar = calendar_for(case)
    with writing_to(person):
        if letter.kind in SERVES_LIMITS and letter.role == "respondent":
            waiting = case.deadlines.filter(kind__in=DUE_IN_LETTER).exclude(status="closed")
            for deadline in waiting:
                due = (
                    calendar.due_at(service_day_start(case, served_on), deadline.working_days)
                    if deadline.awaits_service
                    else deadline.due_at
                )
                context[DUE_IN_LETTER[deadline.kind]] = day_in_words(due)
        text = render_to_string(f"notifications/email/{letter.kind}.txt", context)
    first_line, _, body = text.strip().partition("\n")
    link = SignInLink.objects.filter(pk=letter.context.get("sign_in_link")).first()
    return LetterText(
        organisation=case.organisation.name,
        reference=case.reference,
        name=letter.to_name,
        address=(letter.to_address or person.postal_address).splitlines(),
        dated=posted_on,
        subject=" ".join(first_line.split()),
        body=body.strip(),
        posted_on=posted_on,
        served_on=served_on,
        sign_in_url=letter.context.get("sign_in_url", ""),
        link_expires=timezone.localdate(link.expires_at) if link else None,
        contact=case.rulebook.spec.letters_contact,
        served_note=letter.kind in SERVES_LIMITS,
        language=language_for(person),
    )


def letter_pdf(letter: Notification, *, on: dt.date | None = None) -> bytes:
    """The letter as a printable A4 PDF, posted on `on` (today) or as it was posted."""

    return letter_render(letter_text(letter, on=on))


@transaction.atomic
def letter_record_posted(*, actor: Any, letter: Notification, posted_on: dt.date) -> Notification:
    """Record that a letter was posted on `posted_on`: it is served on the rulebook's working
    day after, and a notice or decision to the respondent starts the time limits that wait for
    it from that date of service (the sign-in link in it then runs 30 days from posting)."""
    letter = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("case__rulebook", "person")
        .get(pk=letter.pk)
    )
    case, person = letter.case, letter.person
    assert case is not None and person is not None
    if letter.status != Notification.Status.TO_POST:
        raise LetterError(LETTER_ALREADY_POSTED)
    made = timezone.localdate(letter.created_at)
    if not made <= posted_on <= timezone.localdate():
        raise LetterError(LETTER_POSTED_ON.format(made=f"{made:%d %B %Y}"))
    if not person.postal_address:
        raise LetterError(LETTER_NEEDS_ADDRESS.format(name=person.full_name))
    served_on = served_on_for(case, posted_on)
    letter.status, letter.sent_at, letter.posted_by = (
        Notification.Status.POSTED,
        timezone.now(),
        actor,
    )
    letter.posted_on, letter.served_on = posted_on, served_on
    letter.to_address = person.postal_address
    letter.subject = letter_text(letter).subject[:300]
    letter.save(
        update_fields=[
            "status",
            "sent_at",
            "posted_by",
            "posted_on",
            "served_on",
            "to_address",
            "subject",
        ]
    )
    sign_in_link_extend(
        link_id=letter.context.get("sign_in_link"),
        expires_at=service_day_start(case, posted_on) + LETTER_LINK_LIFETIME,
    )
    event_append(
        actor=actor,
        kind=EventKind.LETTER_POSTED,
        case_id=case.pk,
        payload={
            "notification": letter.pk,
            "kind": letter.kind,
            "role": letter.role,
            "person": person.pk,
            "posted_on": posted_on.isoformat(),
            "served_on": served_on.isoformat(),
        },
    )
    if letter.kind in SERVES_LIMITS and person.pk == case.respondent_id:
        deadlines_start_on_service(actor=actor, case=case, served_on=served_on)
    return letter
