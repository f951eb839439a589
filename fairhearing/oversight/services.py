"""Writes to the interference register and the view log."""

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl

from django.db import transaction
from django.http import HttpRequest

from fairhearing.accounts.models import Role
from fairhearing.cases.services import decision_time
from fairhearing.core.dates import today, years_ago
from fairhearing.core.errors import CaseError
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .models import AccessAttempt, Approach, CaseView, Verification

NEEDS_WHAT_WAS_ASKED = "Say what you were asked."
NEEDS_ANSWER = "Say what you answered."
NEEDS_WHO = "Say who approached you."
APPROACH_DATE = (
    "The date you were approached must be within the last two years, and not later than today."
)


def _client(request: HttpRequest | None) -> tuple[str, str | None, str]:
    """The address (without its query: that may name a person, and goes in `asked`), the
    client's IP address and its user agent."""
    if request is None:
        return "", None, ""
    return (
        request.path[:500],
        request.META.get("REMOTE_ADDR") or None,
        request.META.get("HTTP_USER_AGENT", "")[:300],
    )


@transaction.atomic
def access_attempt_record(
    *,
    user: Any,
    reference: str = "",
    action: str,
    case: Any = None,
    request: HttpRequest | None = None,
    asked: str | None = None,
) -> AccessAttempt:
    """Record a refused attempt (a case, a search, a page or an API call outside one's role)
    in the interference register and on the ledger. `asked` defaults to the request's query."""
    path, ip_address, user_agent = _client(request)
    if asked is None:  # the query, decoded: "search=Rowan Ashby; stage=hearing"
        query = request.META.get("QUERY_STRING", "") if request is not None else ""
        asked = "; ".join(f"{key}={value}" for key, value in parse_qsl(query))
    authenticated = bool(user and user.is_authenticated)
    organisation_id = getattr(user, "organisation_id", None) if authenticated else None
    if organisation_id is None and case is not None:
        organisation_id = case.organisation_id
    attempt = AccessAttempt.objects.create(
        organisation_id=organisation_id,
        user=user if authenticated else None,
        role=getattr(user, "role", "") if authenticated else "anonymous",
        case=case,
        reference=reference[:64],
        action=action,
        path=path,
        asked=asked[:500],
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

    if not approached_by.strip():
        raise CaseError(NEEDS_WHO)
    if not asked.strip():
        raise CaseError(NEEDS_WHAT_WAS_ASKED)
    if not answered.strip():
        raise CaseError(NEEDS_ANSWER)
    if not years_ago(2)() <= approached_on <= today():
        raise CaseError(APPROACH_DATE)
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


NOT_PENDING = "This decision has already been verified or vetoed."
ONLY_OVERSIGHT_VERIFIES = "Only oversight verifies or vetoes decisions."
VERIFY_NEEDS_REASONS = "Give the reasons for verifying or vetoing the decision."


def verification_open(*, actor: Any, change: Any) -> Verification:
    verification = Verification.objects.create(case=change.case, stage_change=change)
    event_append(
        actor=actor,
        kind=EventKind.DECISION_HELD,
        case_id=change.case_id,
        payload={"verification": verification.pk, "stage_change": change.pk},
    )
    return verification


def verification_decide(
    *,
    actor: Any,
    verification: Verification,
    verified: bool,
    reasons: str,
    decided_at: dt.datetime | None = None,
) -> Verification:
    """Record oversight's verification or veto of a held decision, with reasons, in the
    caller's transaction (`workflow.services` then gives it its effect). Only oversight
    decides, and only a pending verification."""
    if getattr(actor, "role", None) != Role.OVERSIGHT:
        raise CaseError(ONLY_OVERSIGHT_VERIFIES)
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    if verification.status != Verification.Status.PENDING:
        raise CaseError(NOT_PENDING)
    if not reasons.strip():
        raise CaseError(VERIFY_NEEDS_REASONS)
    now = decision_time(verification.case, decided_at)
    verification.status = Verification.Status.VERIFIED if verified else Verification.Status.VETOED
    verification.decided_by, verification.decided_at = actor, now
    verification.reasons = reasons.strip()
    verification.save(update_fields=["status", "decided_by", "decided_at", "reasons"])
    payload: dict[str, Any] = {
        "verification": verification.pk,
        "stage_change": verification.stage_change_id,
    }
    if verified:
        payload["to"] = verification.stage_change.to_stage
    payload["reasons_sha256"] = content_hash(verification.reasons)
    event_append(
        actor=actor,
        kind=EventKind.DECISION_VERIFIED if verified else EventKind.DECISION_VETOED,
        case_id=verification.case_id,
        payload=payload,
    )
    return verification
