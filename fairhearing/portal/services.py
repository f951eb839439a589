"""What parties do in their portal, and staff sending them sign-in links (R-12, R-22, R-26)."""

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from fairhearing.cases.models import Case, Party
from fairhearing.core.dates import today, years_ahead
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.services import calendar_for
from fairhearing.evidence.models import Source
from fairhearing.evidence.services import Upload, evidence_add_files
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.people.models import Person
from fairhearing.people.services import writing_to

from .models import HearingRequest, Message, PartyRole, Reply, SignInLink, token_hash

LINK_LIFETIME = dt.timedelta(days=7)
LINK_REQUEST_WINDOW = dt.timedelta(hours=1)
LINK_REQUESTS_PER_WINDOW = 3
NOT_A_PARTY = "That person is not a complainant or the respondent in this case."
LINK_INVALID = gettext_noop(
    "This sign-in link has expired or has already been used. Ask for a new one."
)
COMPANION_DATE = gettext_noop(
    "The date your companion cannot attend must be between today and a year from now."
)
REPLY_CLOSED = gettext_noop(
    "Replies are taken while the case is at the notice stage and the window is open."
)
REPLY_EMPTY = gettext_noop("Write your reply.")
REPLY_FILES_MAX = 5
REPLY_TOO_MANY_FILES = f"Choose {REPLY_FILES_MAX} files or fewer."
REPLY_FILE_DESCRIPTION = gettext_noop("Sent by the respondent with their reply")
MESSAGE_EMPTY = gettext_noop("Write your message.")
ONLY_RESPONDENT = gettext_noop("Only the respondent can do this.")
NO_HEARING = gettext_noop("No hearing has been scheduled yet.")
COMPANION_NOT_UNAVAILABLE = gettext_noop(
    "Your companion is not recorded as unavailable on the hearing date."
)
MOVE_TOO_FAR = gettext_noop(
    "The hearing can move by at most {days} working days: to {latest} at the latest."
)
MOVE_NOT_LATER = gettext_noop("The new date must be after the scheduled one.")
COMPANION_MOVE_WORKING_DAYS = 5


class HearingMoveTooFar(CaseError):
    """The hearing asked to move later than the companion's rule allows; `latest` is the last
    day it may move to (the portal says it in the reader's language)."""

    def __init__(self, latest: dt.date) -> None:
        self.latest = latest
        super().__init__(
            MOVE_TOO_FAR.format(days=COMPANION_MOVE_WORKING_DAYS, latest=f"{latest:%d %B %Y}")
        )


def party_role(case: Case, person: Person) -> str | None:
    if person.pk == case.respondent_id:
        return PartyRole.RESPONDENT
    if Party.objects.filter(case=case, person=person, role=Party.Role.COMPLAINANT).exists():
        return PartyRole.COMPLAINANT
    return None


def sign_in_link_new(
    *,
    case: Case,
    person: Person,
    role: str,
    lifetime: dt.timedelta = LINK_LIFETIME,
    token: str = "",
) -> tuple[SignInLink, str]:
    """A new one-time sign-in link (in the caller's transaction) and its token (`token`, or
    a new random one), which is kept nowhere: only its hash is stored."""
    token = token or secrets.token_urlsafe(32)
    link = SignInLink.objects.create(
        case=case,
        person=person,
        role=role,
        token_sha256=token_hash(token),
        expires_at=timezone.now() + lifetime,
    )
    return link, token


def sign_in_link_extend(*, link_id: int, expires_at: dt.datetime) -> None:
    """A link not yet used lasts until `expires_at` (a posted letter's link, from the day the
    letter is deemed served)."""
    SignInLink.objects.filter(pk=link_id, used_at__isnull=True).update(expires_at=expires_at)


@transaction.atomic
def sign_in_link_use(*, token: str) -> SignInLink:
    now = timezone.now()
    link = (
        SignInLink.objects.select_for_update()
        .select_related("case", "person")
        .filter(token_sha256=token_hash(token))
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at < now:
        raise CaseError(LINK_INVALID)
    link.used_at = now
    link.save(update_fields=["used_at"])
    event_append(
        actor=None,
        kind=EventKind.PARTY_SIGNED_IN,
        case_id=link.case_id,
        payload={"link": link.pk, "person": link.person_id, "role": link.role},
    )
    return link


def _respondent_only(role: str) -> None:
    if role != PartyRole.RESPONDENT:
        raise CaseError(ONLY_RESPONDENT)


@transaction.atomic
def reply_submit(
    *, case: Case, person: Person, role: str, text: str, uploads: list[Upload] | None = None
) -> Reply:
    """The respondent's reply, taken while the case is at the notice stage and the window is
    open (R-22: told the allegations and given time to reply before any decision), with up to
    `REPLY_FILES_MAX` files, each one the case's next evidence item. One transaction: a refused
    file (`EvidenceRefused`, naming it) leaves nothing written, the reply included."""
    _respondent_only(role)
    if not text.strip():
        raise CaseError(REPLY_EMPTY)
    uploads = uploads or []
    if len(uploads) > REPLY_FILES_MAX:
        raise CaseError(REPLY_TOO_MANY_FILES)
    window = case.deadlines.filter(kind="respondent_reply", status="open").first()
    if case.stage != "notice" or window is None or window.due_at < timezone.now():
        raise CaseError(REPLY_CLOSED)
    items = evidence_add_files(
        actor=None,
        case=case,
        uploads=uploads,
        description=REPLY_FILE_DESCRIPTION,
        source=Source.PARTY,
        person=person,
    )
    reply = Reply.objects.create(case=case, person=person, text=text.strip(), within_window=True)
    reply.evidence.set(items)
    event_append(
        actor=None,
        kind=EventKind.REPLY_RECEIVED,
        case_id=case.pk,
        payload={
            "reply": reply.pk,
            "person": person.pk,
            "text_sha256": content_hash(reply.text),
            "evidence": [item.number for item in items],
        },
    )
    return reply


@transaction.atomic
def hearing_request_submit(
    *,
    case: Case,
    person: Person,
    role: str,
    oral: bool,
    companion_name: str = "",
    companion_unavailable_on: dt.date | None = None,
) -> HearingRequest:
    """Ask for an oral hearing and name a companion (R-26)."""
    _respondent_only(role)
    if companion_unavailable_on is not None and not (
        today() <= companion_unavailable_on <= years_ahead(1)()
    ):
        raise CaseError(COMPANION_DATE)
    request, _ = HearingRequest.objects.update_or_create(
        case=case,
        defaults={
            "oral": oral,
            "companion_name": companion_name.strip(),
            "companion_unavailable_on": companion_unavailable_on,
            "at": timezone.now(),
        },
    )
    event_append(
        actor=None,
        kind=EventKind.HEARING_REQUESTED,
        case_id=case.pk,
        payload={
            "request": request.pk,
            "oral": oral,
            "companion": bool(companion_name.strip()),
            "companion_unavailable_on": companion_unavailable_on.isoformat()
            if companion_unavailable_on
            else None,
        },
    )
    return request


@transaction.atomic
def hearing_move_for_companion(*, case: Case, person: Person, role: str, new_date: dt.date) -> Case:
    """An unavailable companion moves the hearing, by at most 5 working days (R-26)."""
    _respondent_only(role)
    case = Case.objects.select_for_update().select_related("rulebook").get(pk=case.pk)
    if case.hearing_at is None:
        raise CaseError(NO_HEARING)
    calendar = calendar_for(case)
    scheduled = calendar.local_date(case.hearing_at)
    request = HearingRequest.objects.filter(case=case).first()
    if request is None or request.companion_unavailable_on != scheduled:
        raise CaseError(COMPANION_NOT_UNAVAILABLE)
    latest = calendar.add_working_days(scheduled, COMPANION_MOVE_WORKING_DAYS)
    if new_date <= scheduled:
        raise CaseError(MOVE_NOT_LATER)
    if new_date > latest:
        raise HearingMoveTooFar(latest)
    previous = case.hearing_at
    local_time = timezone.localtime(previous).timetz()
    case.hearing_at = dt.datetime.combine(
        new_date, local_time.replace(tzinfo=None), tzinfo=calendar.tz
    )
    case.save(update_fields=["hearing_at"])
    event_append(
        actor=None,
        kind=EventKind.HEARING_MOVED_FOR_COMPANION,
        case_id=case.pk,
        payload={"from": previous.isoformat(), "to": case.hearing_at.isoformat()},
    )
    return case


@transaction.atomic
def message_send(
    *, case: Case, party_person: Person, party_role: str, body: str, from_staff: Any = None
) -> Message:
    """A message between a party and the case team (its body stays off the ledger)."""
    if not body.strip():
        raise CaseError(MESSAGE_EMPTY)
    message = Message.objects.create(
        case=case,
        party_person=party_person,
        party_role=party_role,
        from_staff=from_staff,
        body=body.strip(),
    )
    event_append(
        actor=from_staff,
        kind=EventKind.MESSAGE_SENT,
        case_id=case.pk,
        payload={
            "message": message.pk,
            "person": party_person.pk,
            "role": party_role,
            "from": "staff" if from_staff else "party",
            "body_sha256": content_hash(message.body),
        },
    )
    if from_staff is not None and party_person.email:
        with writing_to(party_person):
            EmailMultiAlternatives(
                subject=gettext("A message about case %(reference)s")
                % {"reference": case.reference},
                body=render_to_string("portal/email/new_message.txt", {"case": case}),
                to=[party_person.email],
            ).send()
    return message


UPDATE_EVERY = dt.timedelta(days=91)


def complainant_updates_send(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Send each complainant of an open case a status update if they have had none for three
    months (R-42). Each is claimed with a conditional UPDATE, so workers never double-send."""
    now = now or timezone.now()
    due_before = now - UPDATE_EVERY
    due = (
        Party.objects.filter(
            role=Party.Role.COMPLAINANT,
            case__closed_at__isnull=True,
            case__opened_at__lt=due_before,
        )
        .exclude(person__email="")
        .filter(
            models.Q(last_update_sent_at__isnull=True)
            | models.Q(last_update_sent_at__lt=due_before)
        )
        .select_related("case__rulebook", "person")[:batch]
    )
    sent = 0
    for party in due:
        with transaction.atomic():
            claimed = Party.objects.filter(
                pk=party.pk, last_update_sent_at=party.last_update_sent_at
            ).update(last_update_sent_at=now)
            if not claimed:
                continue
            case = party.case
            context = {"case": case, "person": party.person, "site_url": settings.SITE_URL}
            with writing_to(party.person):
                EmailMultiAlternatives(
                    subject=gettext("An update on your complaint, case %(reference)s")
                    % {"reference": case.reference},
                    body=render_to_string("portal/email/complainant_update.txt", context),
                    to=[party.person.email],
                ).send()
            event_append(
                actor=None,
                kind=EventKind.COMPLAINANT_UPDATE_SENT,
                case_id=case.pk,
                payload={"party": party.pk, "stage": case.stage},
            )
            sent += 1
    return sent
