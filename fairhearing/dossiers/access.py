"""Dossiers are case officers' work: only they upload and read them, in their organisation."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from fairhearing.accounts.models import Role

from .models import Dossier
from .queries import dossiers_of

ONLY_CASE_OFFICERS = "Only case officers import dossiers."


def dossier_user(user: Any) -> Any:
    if not user.is_authenticated or user.role != Role.CASE_OFFICER or not user.organisation_id:
        raise PermissionDenied(ONLY_CASE_OFFICERS)
    return user


def dossier_for(user: Any, dossier_id: int) -> Dossier:
    dossier_user(user)
    return get_object_or_404(dossiers_of(user.organisation_id), pk=dossier_id)
