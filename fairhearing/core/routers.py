"""Reads that may lag go to the read replica; nothing else does.

A streaming replica is a little behind the primary, so a user who has just written must read
from the primary to see their own write. Reads therefore go to the replica only inside an
explicit `with replica_reads():` block, put around computations that tolerate lag: the
statistics and meeting-pack figures (`reporting.queries`). Every write, and every read outside
such a block, goes to `default`. See docs/architecture.md, "Read replica".

`settings.READ_REPLICA` names the replica's alias (`"replica"` when `READ_REPLICA_URL` is set)
or is None, in which case `replica_reads()` reads from `default`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_replica_reads: ContextVar[bool] = ContextVar("fairhearing_replica_reads", default=False)


def read_alias() -> str:
    """Where reads that may lag go: the replica when one is configured, else `default`."""
    return getattr(settings, "READ_REPLICA", None) or DEFAULT_DB_ALIAS


def in_replica_reads() -> bool:
    return _replica_reads.get()


@contextmanager
def replica_reads() -> Iterator[str]:
    """Send the ORM's reads in this block (this thread or task only) to the replica; writes
    still go to `default`. Yields the alias the reads go to, for raw SQL."""
    token = _replica_reads.set(True)
    try:
        yield read_alias()
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """`default` for everything, except reads inside `replica_reads()`."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias() if _replica_reads.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica gets the schema by replication
