"""Writes to the interference register and the view log."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .models import AccessAttempt, Approach, CaseView

NEEDS_WHAT_WAS_ASKED = "Say what you were asked."
NEEDS_ANSWER = "Say what you answered."
NEEDS_WHO = "Say who approached you."


def _client(request: HttpRequest | None) -> tuple[str, str | None, str]:
    if request is None:
        return "", None, ""
    return (
        request.get_full_path()[:500],
        request.META.get("REMOTE_ADDR") or None,
        request.META.get("HTTP_USER_AGENT", "")[:300],
    )


@transaction.atomic
def access_attempt_record(
    *, user: Any, reference: str, action: str, case: Any = None, request: HttpRequest | None = None
) -> AccessAttempt:
    """Record a refused attempt to reach a case, in the register and on the ledger."""
    path, ip_address, user_agent = _client(request)
    authenticated = bool(user and user.is_authenticated)
    attempt = AccessAttempt.objects.create(
        user=user if authenticated else None,
        role=getattr(user, "role", "") if authenticated else "anonymous",
        case=case,
        reference=reference[:64],
        action=action,
        path=path,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    event_append(
        actor=user if authenticated else None,
        kind=EventKind.ACCESS_REFUSED,
        case_id=case.pk if case is not None else None,
        payload={"attempt": attempt.pk, "action": action, "role": attempt.role},
    )
    return attempt


def case_view_log(*, user: Any, case: Any, request: HttpRequest | None = None) -> CaseView:
    """Log an opening of a case file (kept in its own table: views are not changes)."""
    path, _, _ = _client(request)
    return CaseView.objects.create(user=user, case=case, path=path)


@transaction.atomic
def approach_record(
    *,
    actor: Any,
    case: Any,
    approached_on: dt.date,
    approached_by: str,
    channel: str,
    asked: str,
    answered: str,
) -> Approach:
    """Staff record an approach about a case from outside its team (R-31)."""
    from fairhearing.cases.services import CaseError

    if not approached_by.strip():
        raise CaseError(NEEDS_WHO)
    if not asked.strip():
        raise CaseError(NEEDS_WHAT_WAS_ASKED)
    if not answered.strip():
        raise CaseError(NEEDS_ANSWER)
    approach = Approach.objects.create(
        case=case,
        recorded_by=actor,
        approached_on=approached_on,
        approached_by=approached_by.strip(),
        channel=channel,
        asked=asked.strip(),
        answered=answered.strip(),
    )
    event_append(
        actor=actor,
        kind=EventKind.APPROACH_RECORDED,
        case_id=case.pk,
        payload={
            "approach": approach.pk,
            "channel": channel,
            "approached_by_sha256": content_hash(approach.approached_by),
            "asked_sha256": content_hash(approach.asked),
            "answered_sha256": content_hash(approach.answered),
        },
    )
    return approach
