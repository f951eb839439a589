"""A transaction that has appended holds the ledger's lock: its later appends reuse the head it
wrote instead of taking the lock and reading the head again, and never once that head may be
gone (a rolled-back savepoint, the end of the transaction, the test suite's bypass)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fairhearing.ledger.maintenance import triggers_bypassed
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.ledger.services import event_append, event_append_many

pytestmark = pytest.mark.django_db


def one(**payload: object) -> Event:
    return event_append(actor=None, kind=EventKind.CASE_VIEWED, case_id=3, payload=payload)


def head_reads(queries: CaptureQueriesContext) -> int:
    return sum("ORDER BY seq DESC" in q["sql"] for q in queries.captured_queries)


def test_later_appends_in_a_transaction_read_no_head_and_take_no_lock() -> None:
    with transaction.atomic():
        with CaptureQueriesContext(connection) as first:
            a = one(n=1)
        with CaptureQueriesContext(connection) as later:
            b = one(n=2)
            c, d = event_append_many(
                actor=None,
                events=[(EventKind.CASE_VIEWED, 3, {"n": 3}), (EventKind.CASE_VIEWED, 3, None)],
            )
    assert head_reads(first) == 1
    assert head_reads(later) == 0
    assert not any("advisory" in q["sql"] for q in later.captured_queries)
    assert len(later.captured_queries) == 2  # one INSERT each
    assert [e.seq for e in (a, b, c, d)] == [a.seq, a.seq + 1, a.seq + 2, a.seq + 3]
    assert (b.prev_hash, c.prev_hash, d.prev_hash) == (a.hash, b.hash, c.hash)
    assert list(Event.objects.order_by("seq").values_list("hash", flat=True)) == [
        e.hash for e in (a, b, c, d)
    ]
    assert ledger_verify().ok


def test_after_a_rolled_back_savepoint_the_head_is_read_again() -> None:
    class Undo(Exception):
        pass

    with transaction.atomic():
        a = one(n=1)
        try:
            with transaction.atomic():
                one(n=2)  # written in the savepoint, then rolled back with it
                raise Undo
        except Undo:
            pass
        with CaptureQueriesContext(connection) as after:
            b = one(n=3)
    assert head_reads(after) == 1
    assert (b.seq, b.prev_hash) == (a.seq + 1, a.hash)
    assert ledger_verify().ok


def test_a_released_savepoint_keeps_its_events_and_the_head() -> None:
    with transaction.atomic():
        with transaction.atomic():
            a = one(n=1)
        with transaction.atomic():
            b = one(n=2)
        c = one(n=3)
    assert [b.prev_hash, c.prev_hash] == [a.hash, b.hash]
    assert ledger_verify().ok


def test_the_bypass_makes_the_next_append_read_the_head() -> None:
    with transaction.atomic():
        one(n=1)
        with triggers_bypassed(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledger_event")
        with CaptureQueriesContext(connection) as after:
            b = one(n=2)
    assert head_reads(after) == 1
    assert b.seq == 1


@pytest.mark.usefixtures("ledger_teardown")
def test_a_new_transaction_reads_the_head_again() -> None:
    with transaction.atomic():
        a = one(n=1)
    with transaction.atomic(), CaptureQueriesContext(connection) as second:
        b = one(n=2)
    assert head_reads(second) == 1
    assert (b.seq, b.prev_hash) == (a.seq + 1, a.hash)
    failed = None
    try:
        with transaction.atomic():
            one(n=3)
            raise RuntimeError("rolled back")
    except RuntimeError as exc:
        failed = exc
    assert failed is not None
    with transaction.atomic(), CaptureQueriesContext(connection) as after_rollback:
        c = one(n=4)
    assert head_reads(after_rollback) == 1
    assert (c.seq, c.prev_hash) == (b.seq + 1, b.hash)
    assert ledger_verify().ok
