"""Declaring interests, stepping aside, and deciding challenges for bias (R-25)."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from fairhearing.core.errors import CaseError
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.people.models import Person

from .models import Declaration

NEEDS_REASONS = gettext_noop("Give your reasons.")
NOT_ON_CASE = "You are not on this case's team or panel."
ALREADY_RECUSED = "You have already stepped aside from this case."
CHALLENGER_NOT_A_PARTY = gettext_noop("Only a party to the case can challenge a member for bias.")
CHALLENGED_NOT_ON_CASE = gettext_noop("That person is not on this case's team or panel.")
CANNOT_DECIDE_OWN_CHALLENGE = "A challenge is decided by someone other than the member challenged."
ALREADY_DECIDED = "This challenge has already been decided."
DECLARATION_INCOMPLETE = "Say who or what the interest is in."
UNKNOWN_KIND = "Choose what the interest is in from the list."
CHALLENGED_NOT_SEATED = gettext_noop("That person is not a member of the panel for your case.")
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
