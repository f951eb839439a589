"""The register is oversight's: one definition of who reads it, for the page and the API."""

from typing import Any

from django.core.exceptions import PermissionDenied

from fairhearing.accounts.models import Role

ONLY_OVERSIGHT = "The interference register is for oversight only."


def register_reader(user: Any) -> Any:
    """The user, if oversight; otherwise refused (and so recorded in the register)."""
    if getattr(user, "role", None) != Role.OVERSIGHT:
        raise PermissionDenied(ONLY_OVERSIGHT)
    return user
