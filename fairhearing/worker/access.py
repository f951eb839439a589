"""The status of background work is for administrators: it names no case and no person."""

from typing import Any

from django.core.exceptions import PermissionDenied

from fairhearing.accounts.models import Role

ONLY_ADMINISTRATORS = "The status of background work is for administrators."


def worker_status_user(user: Any) -> Any:
    if not user.is_authenticated or user.role != Role.ADMINISTRATOR:
        raise PermissionDenied(ONLY_ADMINISTRATORS)
    return user
