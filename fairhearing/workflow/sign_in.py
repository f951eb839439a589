"""A party's way into their case: a one-time sign-in link, by email where they have an
address, else printed in a letter for staff to post (the portal's link in the letters'
queue, two apps met here)."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from fairhearing.cases.models import Case, Complaint, Party
from fairhearing.core.errors import CaseError
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.notifications.models import Notification
from fairhearing.notifications.services import letter_queue
from fairhearing.people.models import Person
from fairhearing.people.services import writing_to
from fairhearing.portal.models import SignInLink
from fairhearing.portal.services import (
    LINK_REQUEST_WINDOW,
    LINK_REQUESTS_PER_WINDOW,
    NOT_A_PARTY,
    party_role,
    sign_in_link_new,
)


@transaction.atomic
def sign_in_link_send(*, actor: Any, case: Case, person: Person) -> SignInLink:
    """Email a one-time sign-in link for this case to one of its parties; to a party without
    email, make a letter with the link printed in it, for staff to post."""
    role = party_role(case, person)
    if role is None:
        raise CaseError(NOT_A_PARTY)
    if not person.email:
        letter = letter_queue(
            case=case,
            kind=Notification.Kind.SIGN_IN_LETTER,
            person=person,
            role=role,
            context={"reference": case.reference},
        )
        return SignInLink.objects.get(pk=letter.context["sign_in_link"])
    link, token = sign_in_link_new(case=case, person=person, role=role)
    url = settings.SITE_URL + reverse("portal:sign_in", args=[token])
    context = {"case": case, "person": person, "url": url, "role": role, "expires": link.expires_at}
    with writing_to(person):
        message = EmailMultiAlternatives(
            subject=gettext("Your sign-in link for case %(reference)s")
            % {"reference": case.reference},
            body=render_to_string("portal/email/sign_in_link.txt", context),
            to=[person.email],
        )
        message.attach_alternative(
            render_to_string("portal/email/sign_in_link.html", context), "text/html"
        )
    message.send()
    event_append(
        actor=actor,
        kind=EventKind.SIGN_IN_LINK_SENT,
        case_id=case.pk,
        payload={"link": link.pk, "person": person.pk, "role": role},
    )
    return link


def sign_in_link_request(*, reference: str, email: str) -> None:
    """Self-service: if the reference (a case's, or the complaint's that the acknowledgement
    gave) and the email match a party, send them a link to each such case. Says nothing either
    way, so that nobody can learn who is a party to which case."""
    wanted = reference.strip().upper()
    if not wanted or not email.strip():
        return
    cases = list(Case.objects.filter(reference=wanted)[:1])
    if not cases:  # the complaint's reference, which the acknowledgement gave the complainant
        complaint = Complaint.objects.filter(reference=wanted).first()
        if complaint is not None:
            cases = [c for c in complaint.cases.order_by("pk") if _is_complainant(c, complaint)]
    for case in cases:
        _link_send_if_party(case, email)


def _is_complainant(case: Case, complaint: Complaint) -> bool:
    return case.parties.filter(
        role=Party.Role.COMPLAINANT, person_id=complaint.complainant_id
    ).exists()


def _link_send_if_party(case: Case, email: str) -> None:
    people = [case.respondent] + [
        p.person for p in case.parties.filter(role=Party.Role.COMPLAINANT).select_related("person")
    ]
    for person in people:
        if person.email and person.email.lower() == email.strip().lower():
            recent = SignInLink.objects.filter(
                case=case, person=person, created_at__gte=timezone.now() - LINK_REQUEST_WINDOW
            ).count()
            if recent < LINK_REQUESTS_PER_WINDOW:  # beyond that, silently: no mail bombing
                sign_in_link_send(actor=None, case=case, person=person)
            return
