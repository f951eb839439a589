from typing import Any

from django.core.exceptions import PermissionDenied

from fairhearing.accounts.models import Role

PACK_READERS = frozenset({Role.GOVERNING_BODY, Role.OVERSIGHT, Role.ADMINISTRATOR})
TRACKER_EDITORS = frozenset({Role.ADMINISTRATOR, Role.GOVERNING_BODY})
NOT_A_PACK_READER = "Meeting packs are for the governing body, oversight and administrators."
NOT_AN_EDITOR = "Only administrators and the governing body update the tracker."


def require_pack_reader(user: Any) -> None:
    if getattr(user, "role", None) not in PACK_READERS:
        raise PermissionDenied(NOT_A_PACK_READER)


def require_tracker_editor(user: Any) -> None:
    if getattr(user, "role", None) not in TRACKER_EDITORS:
        raise PermissionDenied(NOT_AN_EDITOR)
