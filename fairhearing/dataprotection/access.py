"""Who may reach data-protection records.

Legal holds go through `cases.access.case_for(..., action="act")` (whoever may act on the
case). Subject access requests cover every case a person is in, so they are not a case-team
matter: case officers of the person's organisation handle them (the role that records
complaints and reads the triage queue), and every export is on the ledger with the cases it
covered. Other roles are refused (403), like dossiers.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from fairhearing.accounts.models import Role

from .models import SubjectAccessRequest

ONLY_CASE_OFFICERS = "Only case officers handle subject access requests."


def sar_user(user: Any) -> Any:
    if not user.is_authenticated or user.role != Role.CASE_OFFICER or not user.organisation_id:
        raise PermissionDenied(ONLY_CASE_OFFICERS)
    return user


def sar_for(user: Any, pk: int) -> SubjectAccessRequest:
    sar_user(user)
    return get_object_or_404(
        SubjectAccessRequest.objects.select_related("person"),
        pk=pk,
        organisation_id=user.organisation_id,
    )
