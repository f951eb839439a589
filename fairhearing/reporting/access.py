"""Who reads the governing body's meeting packs, who schedules meetings and who updates the
recommendations tracker: one definition for every page. A refusal raises `PermissionDenied`,
which the refusal middleware records in the interference register."""

from typing import Any

from django.core.exceptions import PermissionDenied

from fairhearing.accounts.models import Role

PACK_READERS = frozenset({Role.GOVERNING_BODY, Role.OVERSIGHT, Role.ADMINISTRATOR})
MEETING_SCHEDULERS = frozenset({Role.ADMINISTRATOR})
TRACKER_EDITORS = frozenset({Role.ADMINISTRATOR, Role.GOVERNING_BODY})
# Who shares out the cases: case officers (the team that takes them on) and oversight.
WORKLOAD_READERS = frozenset({Role.CASE_OFFICER, Role.OVERSIGHT})
NOT_A_WORKLOAD_READER = "The team's workload is for case officers and oversight."
NOT_A_PACK_READER = "Meeting packs are for the governing body, oversight and administrators."
NOT_A_SCHEDULER = "Only administrators schedule meetings."
NOT_AN_EDITOR = "Only administrators and the governing body update the tracker."


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def require_pack_reader(user: Any) -> None:
    if _role(user) not in PACK_READERS:
        raise PermissionDenied(NOT_A_PACK_READER)


def may_schedule_meetings(user: Any) -> bool:
    """Whether the meeting packs page offers this user the form to schedule a meeting."""
    return _role(user) in MEETING_SCHEDULERS


def require_meeting_scheduler(user: Any) -> None:
    """A meeting scheduled by anyone but an administrator is refused (and recorded)."""
    if not may_schedule_meetings(user):
        raise PermissionDenied(NOT_A_SCHEDULER)


def may_edit_tracker(user: Any) -> bool:
    """Whether the public tracker offers this user the links to import and update."""
    return _role(user) in TRACKER_EDITORS


def require_tracker_editor(user: Any) -> None:
    if not may_edit_tracker(user):
        raise PermissionDenied(NOT_AN_EDITOR)


def may_read_workload(user: Any) -> bool:
    """Whether the menu offers this user the team's workload."""
    return _role(user) in WORKLOAD_READERS


def require_workload_reader(user: Any) -> None:
    if not may_read_workload(user):
        raise PermissionDenied(NOT_A_WORKLOAD_READER)
