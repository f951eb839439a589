"""Declaring interests, stepping aside, and deciding challenges for bias (R-25)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.cases.models import Assignment, Case
from fairhearing.core.errors import CaseError
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.notifications.services import notifications_for_challenge
from fairhearing.people.models import Person

from .models import BiasChallenge, Declaration, Recusal
from .queries import seated_on_case, user_on_case

NEEDS_REASONS = "Give your reasons."
NOT_ON_CASE = "You are not on this case's team or panel."
ALREADY_RECUSED = "You have already stepped aside from this case."
CHALLENGER_NOT_A_PARTY = "Only a party to the case can challenge a member for bias."
CHALLENGED_NOT_ON_CASE = "That person is not on this case's team or panel."
CANNOT_DECIDE_OWN_CHALLENGE = "A challenge is decided by someone other than the member challenged."
ALREADY_DECIDED = "This challenge has already been decided."
DECLARATION_INCOMPLETE = "Say who or what the interest is in."
UNKNOWN_KIND = "Choose what the interest is in from the list."
CHALLENGED_NOT_SEATED = "That person is not a member of the panel for your case."
ALREADY_CHALLENGED = "You have already challenged {name}; the challenge has not been decided yet."


@transaction.atomic
def interest_declare(
    *,
    actor: Any,
    kind: str,
    person: Person | None = None,
    branch: Any = None,
    text: str = "",
) -> Declaration:
    if kind not in Declaration.Kind.values:
        raise CaseError(UNKNOWN_KIND)
    declaration = Declaration(
        user=actor, kind=kind, person=person, branch=branch, text=text.strip()
    )
    if (
        (kind == Declaration.Kind.PERSON and person is None)
        or (kind == Declaration.Kind.BRANCH and branch is None)
        or (kind not in {Declaration.Kind.PERSON, Declaration.Kind.BRANCH} and not text.strip())
    ):
        raise CaseError(DECLARATION_INCOMPLETE)
    declaration.full_clean()
    declaration.save()
    event_append(
        actor=actor,
        kind=EventKind.INTEREST_DECLARED,
        payload={
            "declaration": declaration.pk,
            "kind": kind,
            "person": person.pk if person else None,
            "branch": branch.pk if branch else None,
            "text_sha256": content_hash(declaration.text) if declaration.text else None,
        },
    )
    return declaration


@transaction.atomic
def interest_withdraw(*, actor: Any, declaration: Declaration) -> Declaration:
    declaration.withdrawn_at = timezone.now()
    declaration.save(update_fields=["withdrawn_at"])
    event_append(
        actor=actor, kind=EventKind.INTEREST_WITHDRAWN, payload={"declaration": declaration.pk}
    )
    return declaration


def _step_aside(*, actor: Any, user: Any, case: Case, why: str) -> None:
    """End the user's place on the case team and on any sitting panel."""
    from fairhearing.panels.services import seat_leave

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
        raise CaseError(NEEDS_REASONS)
    if Recusal.objects.filter(case=case, user=actor).exists():
        raise CaseError(ALREADY_RECUSED)
    if not user_on_case(actor, case):
        raise CaseError(NOT_ON_CASE)
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
        raise CaseError(NEEDS_REASONS)
    party_ids = {case.respondent_id, *case.parties.values_list("person_id", flat=True)}
    if raised_by.pk not in party_ids:
        raise CaseError(CHALLENGER_NOT_A_PARTY)
    if actor is None and not seated_on_case(challenged, case):
        raise CaseError(CHALLENGED_NOT_SEATED)
    if not user_on_case(challenged, case):
        raise CaseError(CHALLENGED_NOT_ON_CASE)
    if BiasChallenge.objects.filter(
        case=case, challenged=challenged, raised_by=raised_by, decided_at__isnull=True
    ).exists():
        raise CaseError(ALREADY_CHALLENGED.format(name=challenged.display_name))
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
        raise CaseError(ALREADY_DECIDED)
    if actor.pk == challenge.challenged_id:
        raise CaseError(CANNOT_DECIDE_OWN_CHALLENGE)
    if not reasons.strip():
        raise CaseError(NEEDS_REASONS)
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


def excluded_from_case(case: Case) -> set[int]:
    """Users who stepped aside or whose challenge was upheld: never back on this case."""
    recused = set(Recusal.objects.filter(case=case).values_list("user_id", flat=True))
    removed = set(
        BiasChallenge.objects.filter(case=case, decision=BiasChallenge.Decision.UPHELD).values_list(
            "challenged_id", flat=True
        )
    )
    return recused | removed
