"""Reading the ledger: verification and case timelines."""

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from .chain import canonical_bytes_fast, event_hash
from .models import GENESIS_HASH, Event

VERIFY_CHUNK = 5000


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    head_hash: str
    bad_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_seq is None


def _rows() -> Iterator[tuple]:
    """Every event in order, in constant memory, straight from the driver: a server-side
    cursor on PostgreSQL, SQLite's own incremental fetch otherwise. The payload comes as
    JSON text and the time as UTC; no model instances, no per-field conversions."""
    table = Event._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            "SELECT seq, at, actor_id, case_id, kind, payload::text, prev_hash, hash "  # noqa: S608
            f"FROM {table} ORDER BY seq"
        )
        with transaction.atomic():
            connection.ensure_connection()
            raw = connection.connection
            with raw.cursor(name="ledger_verify") as cursor:
                cursor.itersize = VERIFY_CHUNK
                cursor.execute(sql)
                for seq, at, actor_id, case_id, kind, payload, prev, stored in cursor:
                    yield seq, at, actor_id, case_id, kind, json.loads(payload), prev, stored
        return
    sql = (
        "SELECT seq, at, actor_id, case_id, kind, payload, prev_hash, hash "  # noqa: S608
        f"FROM {table} ORDER BY seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(VERIFY_CHUNK):
            for seq, at, actor_id, case_id, kind, payload, prev, stored in rows:
                if isinstance(at, str):
                    at = dt.datetime.fromisoformat(at)
                if at.tzinfo is None:
                    at = at.replace(tzinfo=dt.UTC)
                yield seq, at, actor_id, case_id, kind, json.loads(payload), prev, stored


def ledger_verify(progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Re-compute the whole chain; stop at the first event that does not fit."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for seq, at, actor_id, case_id, kind, payload, prev_hash, stored_hash in _rows():
        if seq != expected_seq:
            return VerifyResult(
                checked, expected_prev, expected_seq, f"event #{expected_seq} is missing"
            )
        if prev_hash != expected_prev:
            return VerifyResult(
                checked, expected_prev, seq, "previous-hash does not match the event before it"
            )
        canonical = canonical_bytes_fast(seq, at, actor_id, case_id, kind, payload)
        if event_hash(prev_hash, canonical) != stored_hash:
            return VerifyResult(checked, expected_prev, seq, "content does not match its hash")
        expected_prev = stored_hash
        expected_seq += 1
        checked += 1
        if progress is not None and checked % VERIFY_CHUNK == 0:
            progress(checked)
    return VerifyResult(checked, expected_prev)


def events_for_case(case_id: int) -> QuerySet[Event]:
    return Event.objects.filter(case_id=case_id).order_by("seq")
