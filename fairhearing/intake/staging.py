"""A file attached to a complaint that is not sent yet, while the person checks their answers.

It is kept outside the web root (settings.UPLOAD_STAGING_ROOT) under a random name that only
the person's session holds; sending the complaint makes it evidence and deletes it here, and
the time-limit sweep deletes any left for more than a day (`staged_purge`). Nothing about it
is recorded: until the complaint is sent, nothing has been received.
"""

import datetime as dt
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

KEPT_FOR = dt.timedelta(days=1)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _path(token: str) -> Path | None:
    if not _TOKEN.fullmatch(token):
        return None
    return Path(settings.UPLOAD_STAGING_ROOT) / token


def staged_write(data: bytes) -> str:
    """Keep the bytes; the token names them (24 random bytes: not guessable)."""
    token = secrets.token_urlsafe(24)
    root = Path(settings.UPLOAD_STAGING_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    path = root / token
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return token


def staged_read(token: str) -> bytes | None:
    """The bytes, or None if they are gone (sent, or left too long and deleted)."""
    path = _path(token)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def staged_discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def staged_purge(*, older_than: dt.timedelta = KEPT_FOR) -> int:
    """Delete files kept longer than `older_than`; how many were deleted."""
    root = Path(settings.UPLOAD_STAGING_ROOT)
    if not root.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    deleted = 0
    for path in root.iterdir():
        if _TOKEN.fullmatch(path.name) and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
