"""Stepping aside: a member of the case team or a panel recuses, or a party's challenge for
bias is upheld; either way they leave the team (`cases`) and any sitting panel (`panels`),
recorded in `interests`, and the parties are told (`notifications`)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.cases.models import Assignment, Case
from fairhearing.core.errors import CaseError
from fairhearing.interests import services as interests
from fairhearing.interests.models import BiasChallenge, Recusal
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.notifications.services import notifications_for_challenge
from fairhearing.panels.queries import seated_on_case, user_on_case
from fairhearing.panels.services import seat_leave
from fairhearing.people.models import Person


def _step_aside(*, actor: Any, user: Any, case: Case, why: str) -> None:
    """End the user's place on the case team and on any sitting panel."""

    now = timezone.now()
    for assignment in Assignment.objects.filter(case=case, user=user, ended_at__isnull=True):
        assignment.ended_at = now
        assignment.save(update_fields=["ended_at"])
        event_append(
            actor=actor,
            kind=EventKind.CASE_UNASSIGNED,
            case_id=case.pk,
            payload={
                "assignment": assignment.pk,
                "user": user.pk,
                "role": assignment.role,
                "because": why,
            },
        )
    seat_leave(actor=actor, user=user, case=case, why=why)


@transaction.atomic
def case_recuse(*, actor: Any, case: Case, reasons: str) -> Recusal:
    """A member of the team or a panel steps aside, at any time, with reasons."""
    if not reasons.strip():
        raise CaseError(interests.NEEDS_REASONS)
    if Recusal.objects.filter(case=case, user=actor).exists():
        raise CaseError(interests.ALREADY_RECUSED)
    if not user_on_case(actor, case):
        raise CaseError(interests.NOT_ON_CASE)
    recusal = Recusal.objects.create(case=case, user=actor, reasons=reasons.strip())
    event_append(
        actor=actor,
        kind=EventKind.RECUSED,
        case_id=case.pk,
        payload={"recusal": recusal.pk, "reasons_sha256": content_hash(recusal.reasons)},
    )
    _step_aside(actor=actor, user=actor, case=case, why="recused")
    return recusal


@transaction.atomic
def challenge_raise(
    *, actor: Any, case: Case, challenged: Any, raised_by: Person, grounds: str
) -> BiasChallenge:
    """Record a party's challenge to a member of the team or a panel for bias.

    `actor` is the member of staff recording it for the party, or None when the party raises
    it themselves in their portal: then it can name only a member seated on a sitting panel
    of the case (the members the portal shows them)."""
    if not grounds.strip():
        raise CaseError(interests.NEEDS_REASONS)
    party_ids = {case.respondent_id, *case.parties.values_list("person_id", flat=True)}
    if raised_by.pk not in party_ids:
        raise CaseError(interests.CHALLENGER_NOT_A_PARTY)
    if actor is None and not seated_on_case(challenged, case):
        raise CaseError(interests.CHALLENGED_NOT_SEATED)
    if not user_on_case(challenged, case):
        raise CaseError(interests.CHALLENGED_NOT_ON_CASE)
    if BiasChallenge.objects.filter(
        case=case, challenged=challenged, raised_by=raised_by, decided_at__isnull=True
    ).exists():
        raise CaseError(interests.ALREADY_CHALLENGED.format(name=challenged.display_name))
    challenge = BiasChallenge.objects.create(
        case=case,
        challenged=challenged,
        raised_by=raised_by,
        recorded_by=actor,
        grounds=grounds.strip(),
    )
    event_append(
        actor=actor,
        kind=EventKind.CHALLENGE_RAISED,
        case_id=case.pk,
        payload={
            "challenge": challenge.pk,
            "challenged": challenged.pk,
            "raised_by": raised_by.pk,
            "through": "staff" if actor is not None else "portal",
            "grounds_sha256": content_hash(challenge.grounds),
        },
    )
    return challenge


@transaction.atomic
def challenge_decide(
    *, actor: Any, challenge: BiasChallenge, upheld: bool, reasons: str
) -> BiasChallenge:
    """Someone other than the member challenged decides, with reasons; upheld means the member
    steps aside."""
    challenge = BiasChallenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.decided_at is not None:
        raise CaseError(interests.ALREADY_DECIDED)
    if actor.pk == challenge.challenged_id:
        raise CaseError(interests.CANNOT_DECIDE_OWN_CHALLENGE)
    if not reasons.strip():
        raise CaseError(interests.NEEDS_REASONS)
    challenge.decision = (
        BiasChallenge.Decision.UPHELD if upheld else BiasChallenge.Decision.DISMISSED
    )
    challenge.decided_by = actor
    challenge.decided_at = timezone.now()
    challenge.decision_reasons = reasons.strip()
    challenge.save(update_fields=["decision", "decided_by", "decided_at", "decision_reasons"])
    event_append(
        actor=actor,
        kind=EventKind.CHALLENGE_DECIDED,
        case_id=challenge.case_id,
        payload={
            "challenge": challenge.pk,
            "decision": challenge.decision,
            "reasons_sha256": content_hash(challenge.decision_reasons),
        },
    )
    on_panel = seated_on_case(challenge.challenged, challenge.case)
    if upheld:
        _step_aside(
            actor=actor, user=challenge.challenged, case=challenge.case, why="challenge upheld"
        )
    notifications_for_challenge(challenge=challenge, on_panel=on_panel)
    return challenge
