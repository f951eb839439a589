import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.cases.access import POLICY
from fairhearing.core.errors import CaseError
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .models import ApiToken, Scope

TOKEN_PREFIX = "fh_"  # noqa: S105 - a label, not a secret
UNKNOWN_SCOPE = "Unknown scope: {scope}."
CASE_SCOPES = frozenset({Scope.CASES_READ, Scope.CASES_WRITE})
NO_CASE_SCOPES = (
    "{role} accounts have no access to individual cases, so their tokens cannot carry the "
    "scopes to read or act on cases ({scopes})."
)


def case_scopes_refusal(user: Any, scopes: list[str] | set[str]) -> str | None:
    """Why this user's token may not carry these scopes (office-holders: no case scopes)."""
    asked = sorted(set(scopes) & CASE_SCOPES)
    if asked and not POLICY.get(user.role):
        role = Role(user.role).label if user.role in Role.values else user.role
        return NO_CASE_SCOPES.format(role=role, scopes=", ".join(asked))
    return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: Any, user: Any, name: str, scopes: list[str]
) -> tuple[ApiToken, str]:
    """A new token; the clear value is returned once and never stored."""
    for scope in scopes:
        if scope not in Scope.values:
            raise CaseError(UNKNOWN_SCOPE.format(scope=scope))
    refusal = case_scopes_refusal(user, scopes)
    if refusal:
        raise CaseError(refusal)
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=clear[:10],
        token_sha256=token_hash(clear),
        scopes=sorted(scopes),
    )
    # Ids and scopes only: never the token, nor its prefix (the first characters of it).
    event_append(
        actor=actor,
        kind=EventKind.API_TOKEN_ISSUED,
        payload={"token": token.pk, "user": user.pk, "scopes": token.scopes},
    )
    return token, clear


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    event_append(
        actor=actor,
        kind=EventKind.API_TOKEN_REVOKED,
        payload={"token": token.pk, "user": token.user_id},
    )
    return token
