"""Who audits case files: oversight, independent of the case team. A refusal raises
`PermissionDenied`, which the refusal middleware records in the interference register; a
round or audited case of another organisation is not found."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from fairhearing.accounts.models import Role

from .models import AuditedCase, AuditRound

AUDITORS = frozenset({Role.OVERSIGHT})
NOT_AN_AUDITOR = "Case-file audits are carried out by oversight."
NO_SUCH_ROUND = "There is no such audit round."


def may_audit(user: Any) -> bool:
    """Whether the menu offers this user the case-file audits."""
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) in AUDITORS


def require_auditor(user: Any) -> None:
    if not may_audit(user):
        raise PermissionDenied(NOT_AN_AUDITOR)


def audit_round_for(user: Any, pk: int) -> AuditRound:
    require_auditor(user)
    try:
        return AuditRound.objects.get(pk=pk, organisation_id=user.organisation_id)
    except AuditRound.DoesNotExist:
        raise Http404(NO_SUCH_ROUND) from None


def audited_case_for(user: Any, pk: int) -> AuditedCase:
    require_auditor(user)
    try:
        return AuditedCase.objects.select_related("round", "case", "case__rulebook").get(
            pk=pk, round__organisation_id=user.organisation_id
        )
    except AuditedCase.DoesNotExist:
        raise Http404(NO_SUCH_ROUND) from None
