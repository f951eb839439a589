"""Who reads the survey's comments: oversight, independent of the case team, and only
unlinked (queries.comments_of). The answer page itself needs no sign-in: its one-time link is
the key. A refusal raises `PermissionDenied`, which the refusal middleware records."""

from typing import Any

from django.core.exceptions import PermissionDenied

from fairhearing.accounts.models import Role

COMMENT_READERS = frozenset({Role.OVERSIGHT})
NOT_A_READER = "The survey's comments are read by oversight only."


def may_read_comments(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False) and getattr(user, "role", None) in COMMENT_READERS
    )


def require_comment_reader(user: Any) -> None:
    if not may_read_comments(user):
        raise PermissionDenied(NOT_A_READER)
