"""Writing to the ledger. The only code that inserts ledger rows."""

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from fairhearing.core.bulk import copy_rows

from .chain import canonical_bytes_fast, event_hash, sanitise_payload
from .models import GENESIS_HASH, Event, EventKind

# Key for pg_advisory_xact_lock: appends take it so that two writers never read the same head
# and fork the chain. A row lock on the head is not enough: both read it before either inserts.
LEDGER_ADVISORY_LOCK_KEY = 0x4648_4C45  # "FHLE"

NOT_IN_TRANSACTION = "ledger events are written inside the transaction that makes the change"


def event_append(
    *,
    actor: Any,
    kind: EventKind,
    case_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the chain, in the caller's transaction.

    `actor` is a user (or None for the system). The payload references records by id and
    carries hashes of free text, never personal data in clear.
    """
    return event_append_many(actor=actor, events=[(kind, case_id, payload)])[0]


def event_append_many(
    *, actor: Any, events: list[tuple[EventKind, int | None, dict[str, Any] | None]]
) -> list[Event]:
    """Append events in order, in the caller's transaction: one lock, one read of the head and
    one INSERT however many there are (a dossier's chunk appends hundreds at once)."""
    if not connection.in_atomic_block:
        raise RuntimeError(NOT_IN_TRANSACTION)
    if not events:
        return []
    table = Event._meta.db_table
    fields = list(Event._meta.concrete_fields)
    actor_id = getattr(actor, "pk", None)
    made: list[Event] = []
    # Plain SQL on the hot path: every change appends at least one event, and the ORM's own
    # cost per statement was several times the database's (benchmarks/dossier_import.py).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_ADVISORY_LOCK_KEY])
        # On SQLite the transaction is IMMEDIATE: it already holds the database's write lock.
        cursor.execute(f"SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1")  # noqa: S608
        head = cursor.fetchone()
        seq, prev_hash = (head[0], head[1]) if head else (0, GENESIS_HASH)
        at = timezone.now()
        for kind, case_id, payload in events:
            clean = sanitise_payload(payload or {})
            seq += 1
            canonical = canonical_bytes_fast(seq, at, actor_id, case_id, int(kind), clean)
            event = Event(
                seq=seq,
                at=at,
                actor_id=actor_id,
                case_id=case_id,
                kind=int(kind),
                payload=clean,
                prev_hash=prev_hash,
                hash=event_hash(prev_hash, canonical),
                canonical=canonical.decode(),
            )
            prev_hash = event.hash
            event._state.adding = False
            event._state.db = connection.alias
            made.append(event)
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is consulted for every value
    copy_rows(
        table,
        [f.column for f in fields],
        ([f.get_db_prep_save(getattr(event, f.attname), db) for f in fields] for event in made),
    )
    return made


@transaction.atomic
def event_append_now(**kwargs: Any) -> Event:
    """Append in a transaction of its own (for records of refusals, where nothing else changes)."""
    return event_append(**kwargs)
