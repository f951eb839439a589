"""The webhook delivery log is for administrators: it holds no case content, only where each
event went and how the receiver answered. One definition for every page that reads it."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from fairhearing.accounts.models import Role

from .models import Delivery

ONLY_ADMINISTRATORS = "The webhook delivery log is for administrators."


def delivery_log_reader(user: Any) -> Any:
    """The user, if an administrator; otherwise refused (and so recorded in the register by
    the refusal middleware)."""
    if not user.is_authenticated or user.role != Role.ADMINISTRATOR:
        raise PermissionDenied(ONLY_ADMINISTRATORS)
    return user


def delivery_for(user: Any, pk: int) -> Delivery:
    """One delivery of the administrator's own organisation (another's answers as missing)."""
    delivery_log_reader(user)
    return get_object_or_404(Delivery, pk=pk, endpoint__organisation_id=user.organisation_id)
