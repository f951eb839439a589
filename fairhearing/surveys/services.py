"""Every write of the confidence surveys: the parties of a closed case invited, and an answer
recorded from a one-time link. Each appends its ledger event in the same transaction.

The answer is recorded so that nothing links it to the party who gave it (models.py): the
invitation is marked used, with no time; the answer row holds the role and the quarter only;
and its ledger event is on no case and names neither the invitation nor the answer."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.core.errors import CaseError
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .models import QUESTIONS, Answer, Invitation, Level, Role

UNKNOWN = "unknown"
USED = "used"
EXPIRED = "expired"
ANSWER_EVERY_QUESTION = "Answer every question."


class SurveyLinkError(CaseError):
    """A link that cannot be answered: `reason` is UNKNOWN, USED or EXPIRED."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_hash(token: str) -> str:
    """What is kept of a survey link's token (the link itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@transaction.atomic
def survey_invitations_make(
    *, actor: Any, case: Any, parties: Iterable[tuple[Any, str]], now: dt.datetime | None = None
) -> list[tuple[Invitation, str]]:
    """Invite the parties `parties` ((person, role), in the caller's transaction: the case's
    closing) to the survey, if the case's rulebook asks one: each with an email address,
    once per case. Returns each invitation with its token, which is kept nowhere else."""
    spec = case.rulebook.spec
    if not spec.surveys_enabled:
        return []
    now = now or timezone.now()
    made = []
    for person, role in parties:
        if not person.email or role not in Role.values:
            continue
        if Invitation.objects.filter(case=case, person=person).exists():
            continue
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            case=case,
            person=person,
            role=role,
            token_sha256=token_hash(token),
            sent_at=now,
            expires_at=now + dt.timedelta(days=spec.survey_link_days),
        )
        event_append(
            actor=actor,
            kind=EventKind.SURVEY_INVITED,
            case_id=case.pk,
            payload={
                "invitation": invitation.pk,
                "person": person.pk,
                "role": role,
                "expires_at": invitation.expires_at.isoformat(),
            },
        )
        made.append((invitation, token))
    return made


def survey_link_check(token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The invitation a token opens, or `SurveyLinkError` saying why it cannot be answered."""
    invitation = Invitation.objects.filter(token_sha256=token_hash(token)).first()
    if invitation is None:
        raise SurveyLinkError(UNKNOWN)
    if invitation.used:
        raise SurveyLinkError(USED)
    if invitation.expires_at <= (now or timezone.now()):
        raise SurveyLinkError(EXPIRED)
    return invitation


@transaction.atomic
def survey_answer(
    *, token: str, answers: dict[str, int], comments: str = "", now: dt.datetime | None = None
) -> Answer:
    """Record a party's answers from their one-time link, and use the link up. No actor: the
    party is not signed in, and the record must not say who answered."""
    now = now or timezone.now()
    found = survey_link_check(token, now=now)
    invitation = Invitation.objects.select_for_update().select_related("case").get(pk=found.pk)
    if invitation.used:  # answered meanwhile, from another tab
        raise SurveyLinkError(USED)
    if any(answers.get(key) not in Level.values for key in QUESTIONS):
        raise CaseError(ANSWER_EVERY_QUESTION)
    # Only that it was used: no time, which could be matched with the answer's ledger event.
    Invitation.objects.filter(pk=invitation.pk).update(used=True)
    period = quarter_of(timezone.localtime(now).date())
    answer = Answer.objects.create(
        organisation_id=invitation.case.organisation_id,
        period=period,
        role=invitation.role,
        comments=comments.strip(),
        **{key: answers[key] for key in QUESTIONS},
    )
    event_append(
        actor=None,
        kind=EventKind.SURVEY_ANSWERED,
        payload={"organisation": invitation.case.organisation_id, "period": period},
    )
    return answer
