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

# The head this connection's open transaction wrote last: (marker, savepoint ids, seq, hash).
# Once a transaction has appended it holds the ledger's lock until it ends, so no one else can
# move the head: its later appends need neither the lock nor a read of the head again (an
# intake appends seven events in two transactions). The marker is a no-op on_commit callback:
# Django drops it when the transaction commits or rolls back, and when the savepoint it was
# registered in is rolled back (which also releases a lock taken inside it), so the head is
# trusted only while the marker is still queued.
_HEAD = "_fairhearing_ledger_head"


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
    # Not the payload: the database derives it from the canonical bytes (models.py).
    fields = [f for f in Event._meta.concrete_fields if not f.generated]
    actor_id = getattr(actor, "pk", None)
    made: list[Event] = []
    # Plain SQL on the hot path: every change appends at least one event, and the ORM's own
    # cost per statement was several times the database's (benchmarks/dossier_import.py).
    with connection.cursor() as cursor:
        head = _head_known()
        if head is None:
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
    _head_remember(made[-1].seq, made[-1].hash)
    return made


def _head_known() -> tuple[int, str] | None:
    """The head this transaction wrote last, while its lock is still held; else None."""
    known = getattr(connection, _HEAD, None)
    if known is None:
        return None
    marker = known[0]
    for entry in reversed(connection.run_on_commit):
        if entry[1] is marker:
            return known[2], known[3]
    setattr(connection, _HEAD, None)
    return None


def _head_remember(seq: int, hash_: str) -> None:
    known = getattr(connection, _HEAD, None)
    savepoints = frozenset(connection.savepoint_ids)
    if known is not None and known[1] == savepoints and _head_known() is not None:
        setattr(connection, _HEAD, (known[0], savepoints, seq, hash_))
        return

    def marker() -> None:
        """Queued only to be dropped with the transaction or savepoint (see _HEAD)."""

    transaction.on_commit(marker)
    setattr(connection, _HEAD, (marker, savepoints, seq, hash_))


def ledger_head_forget() -> None:
    """Read the head again at the next append (after rows were changed behind the service's
    back: only the test suite's deliberate bypass in maintenance.py does that)."""
    setattr(connection, _HEAD, None)


@transaction.atomic
def event_append_now(**kwargs: Any) -> Event:
    """Append in a transaction of its own (for records of refusals, where nothing else changes)."""
    return event_append(**kwargs)
