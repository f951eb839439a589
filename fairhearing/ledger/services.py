"""Writing to the ledger. The only code that inserts ledger rows."""

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .chain import canonical_bytes, event_hash, sanitise_payload
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
    if not connection.in_atomic_block:
        raise RuntimeError(NOT_IN_TRANSACTION)
    clean = sanitise_payload(payload or {})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_ADVISORY_LOCK_KEY])
    # On SQLite the transaction is IMMEDIATE: it already holds the database's write lock.
    head = Event.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    at = timezone.now()
    actor_id = getattr(actor, "pk", None)
    canonical = canonical_bytes(
        seq=seq, at=at, actor_id=actor_id, case_id=case_id, kind=int(kind), payload=clean
    )
    return Event.objects.create(
        seq=seq,
        at=at,
        actor_id=actor_id,
        case_id=case_id,
        kind=int(kind),
        payload=clean,
        prev_hash=prev_hash,
        hash=event_hash(prev_hash, canonical),
    )


@transaction.atomic
def event_append_now(**kwargs: Any) -> Event:
    """Append in a transaction of its own (for records of refusals, where nothing else changes)."""
    return event_append(**kwargs)
