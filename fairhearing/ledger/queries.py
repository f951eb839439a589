"""Reading the ledger: verification and case timelines."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from .chain import canonical_bytes, event_hash
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
    # values_list + iterator: constant memory (a server-side cursor on PostgreSQL).
    return (
        Event.objects.order_by("seq")
        .values_list("seq", "at", "actor_id", "case_id", "kind", "payload", "prev_hash", "hash")
        .iterator(chunk_size=VERIFY_CHUNK)
    )


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
        canonical = canonical_bytes(
            seq=seq, at=at, actor_id=actor_id, case_id=case_id, kind=kind, payload=payload
        )
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
