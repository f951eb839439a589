import datetime as dt
import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.ledger.chain import (
    PayloadError,
    canonical_bytes,
    canonical_bytes_fast,
    event_hash,
    sanitise_payload,
)
from fairhearing.ledger.maintenance import triggers_bypassed
from fairhearing.ledger.models import GENESIS_HASH, Event, EventKind
from fairhearing.ledger.queries import BAD_CONTENT, ledger_verify
from fairhearing.ledger.services import NOT_IN_TRANSACTION, event_append, event_append_now

pytestmark = pytest.mark.django_db


def append(n: int = 1, **payload: object) -> list[Event]:
    with transaction.atomic():
        return [
            event_append(actor=None, kind=EventKind.CASE_VIEWED, case_id=7, payload=dict(payload))
            for _ in range(n)
        ]


def test_it_links_each_event_to_the_one_before() -> None:
    first, second, third = append(3, note="x")
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    expected = event_hash(
        first.hash,
        canonical_bytes(
            seq=2,
            at=second.at,
            actor_id=None,
            case_id=7,
            kind=int(EventKind.CASE_VIEWED),
            payload={"note": "x"},
        ),
    )
    assert second.hash == expected


def test_it_recomputes_the_same_hash_after_a_database_round_trip() -> None:
    append(2, text="naïve “quotes”", nested={"b": [1, True, None], "a": "z"})
    assert ledger_verify().ok


def test_it_removes_nul_characters_that_jsonb_would_reject() -> None:
    (event,) = append(text="bad\x00byte")
    event.refresh_from_db()
    assert event.payload == {"text": "badbyte"}


def test_it_refuses_floats_in_payloads() -> None:
    with pytest.raises(PayloadError):
        append(score=0.5)
    assert Event.objects.count() == 0


@pytest.mark.usefixtures("ledger_teardown")
def test_it_refuses_to_append_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError, match=NOT_IN_TRANSACTION):
        event_append(actor=None, kind=EventKind.CASE_VIEWED)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE ledger_event SET kind = 2", "DELETE FROM ledger_event"],
)
def test_the_database_refuses_changes_to_recorded_events(statement: str) -> None:
    append(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert Event.objects.count() == 2


def test_the_database_refuses_truncating_a_ledger_with_events() -> None:
    append(1)
    # PostgreSQL has TRUNCATE (refused by a statement trigger); SQLite has no TRUNCATE and
    # empties a table with DELETE, which its row trigger refuses.
    statement = (
        "TRUNCATE ledger_event" if connection.vendor == "postgresql" else "DELETE FROM ledger_event"
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert Event.objects.count() == 1


def tamper(statement: str, params: list[str] | None = None) -> None:
    with triggers_bypassed(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def tamper_refused(statement: str, match: str) -> None:
    """The statement fails even with the append-only triggers lifted."""
    with (
        triggers_bypassed(),
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


def test_the_payload_column_is_the_payload_in_the_hashed_bytes_and_cannot_be_written() -> None:
    """The database derives the payload from the canonical bytes: even with the append-only
    triggers lifted it refuses to write the column, and changing the bytes changes it."""
    append(2, note="x")
    tamper_refused("UPDATE ledger_event SET payload = '{}' WHERE seq = 2", "generated")
    assert Event.objects.get(seq=2).payload == {"note": "x"}
    tamper(
        'UPDATE ledger_event SET canonical = replace(canonical, \'"note":"x"\', \'"note":"y"\')'
        " WHERE seq = 2"
    )
    assert Event.objects.get(seq=2).payload == {"note": "y"}
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.reason) == (False, 2, BAD_CONTENT)


def test_verify_passes_an_intact_chain() -> None:
    append(5)
    result = ledger_verify()
    assert result.ok
    assert result.checked == 5
    assert result.head_hash == Event.objects.get(seq=5).hash


def test_verify_names_the_first_event_whose_content_was_changed() -> None:
    append(5)
    tamper("UPDATE ledger_event SET case_id = 8 WHERE seq = 3")
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.checked) == (False, 3, 2)
    assert "content" in result.reason


def test_verify_finds_an_event_that_was_removed() -> None:
    append(5)
    tamper("DELETE FROM ledger_event WHERE seq = 4")
    result = ledger_verify()
    assert (result.ok, result.bad_seq) == (False, 4)
    assert "missing" in result.reason


def test_verify_finds_a_rewritten_event_whose_own_hash_was_recomputed() -> None:
    events = append(4)
    target = events[1]
    forged = event_hash(
        target.prev_hash,
        canonical_bytes(
            seq=2, at=target.at, actor_id=None, case_id=99, kind=target.kind, payload={}
        ),
    )
    forged_bytes = canonical_bytes(
        seq=2, at=target.at, actor_id=None, case_id=99, kind=target.kind, payload={}
    ).decode()
    tamper(
        "UPDATE ledger_event SET case_id = 99, hash = %s, canonical = %s WHERE seq = 2",
        [forged, forged_bytes],
    )
    result = ledger_verify()
    assert (result.ok, result.bad_seq) == (False, 3)
    assert "previous-hash" in result.reason


def test_the_verify_command_exits_non_zero_and_names_the_bad_event() -> None:
    append(3)
    tamper("UPDATE ledger_event SET kind = 2 WHERE seq = 2")
    with pytest.raises(CommandError, match="#2") as raised:
        call_command("ledger", "verify", "--quiet")
    assert raised.value.returncode == 2


def test_the_verify_command_reports_an_intact_chain(capsys: pytest.CaptureFixture[str]) -> None:
    append(3)
    call_command("ledger", "verify", "--quiet")
    assert "ledger verify OK: 3 events" in capsys.readouterr().out


@pytest.mark.usefixtures("ledger_teardown")
def test_concurrent_appends_never_fork_the_chain() -> None:
    writers, per_writer = 6, 15
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write() -> None:
        try:
            barrier.wait()
            for _ in range(per_writer):
                event_append_now(actor=None, kind=EventKind.CASE_VIEWED)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = ledger_verify()
    assert result.ok, result.reason
    assert result.checked == writers * per_writer
    assert Event.objects.values("prev_hash").distinct().count() == writers * per_writer


@settings(max_examples=300)
@given(
    seq=st.integers(min_value=1, max_value=2**53),
    at=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=5, minutes=30))]),
    ),
    actor_id=st.none() | st.integers(min_value=1, max_value=10**9),
    case_id=st.none() | st.integers(min_value=1, max_value=10**9),
    kind=st.integers(min_value=1, max_value=300),
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=12,
    ),
)
def test_the_fast_canonical_form_is_the_canonical_form(
    seq, at, actor_id, case_id, kind, payload
) -> None:
    clean = sanitise_payload(payload)
    assert canonical_bytes_fast(seq, at, actor_id, case_id, kind, clean) == canonical_bytes(
        seq=seq, at=at, actor_id=actor_id, case_id=case_id, kind=kind, payload=clean
    )


def test_verify_catches_stored_bytes_that_disagree_with_the_columns() -> None:
    append(4, note="x")
    tamper(
        'UPDATE ledger_event SET canonical = replace(canonical, \'"note":"x"\', \'"note":"y"\')'
        " WHERE seq = 3"
    )
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.checked) == (False, 3, 2)
    assert "content" in result.reason


def test_the_database_refuses_stored_bytes_that_are_not_json() -> None:
    """The payload is generated from the bytes, so bytes that are not JSON cannot be stored,
    even with the append-only triggers lifted."""
    append(4)
    tamper_refused("UPDATE ledger_event SET canonical = 'not json' WHERE seq = 2", "(?i)json")
    assert ledger_verify().ok


def test_verify_works_range_by_range(monkeypatch: pytest.MonkeyPatch) -> None:
    from fairhearing.ledger import queries

    monkeypatch.setattr(queries, "SQL_RANGE", 2)
    monkeypatch.setattr(queries, "VERIFY_CHUNK", 1)
    append(5)
    seen: list[int] = []
    result = ledger_verify(progress=seen.append)
    assert (result.ok, result.checked) == (True, 5)
    assert result.head_hash == Event.objects.get(seq=5).hash
    assert seen and seen[-1] == 5
    tamper("UPDATE ledger_event SET kind = 2 WHERE seq = 4")
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.checked) == (False, 4, 3)
    assert result.head_hash == Event.objects.get(seq=3).hash
    tamper("DELETE FROM ledger_event WHERE seq = 3")
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.checked) == (False, 3, 2)
    assert "missing" in result.reason


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("ledger_teardown")
def test_the_migrations_carry_recorded_events_back_and_forth() -> None:
    """Back to before the canonical bytes (0004) and forward again, with events recorded:
    going back, 0006 puts each payload into a plain column again and 0005 drops the bytes;
    going forward, 0005 re-computes the bytes from the columns and 0006 derives the payload
    from them. Every hash still verifies, and nothing is lost."""
    from django.db.migrations.executor import MigrationExecutor

    events = append(3, note="ünïcode", count=7, nested={"b": [1, True, None]})
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("ledger", "0004_tree_heads")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM ledger_event ORDER BY seq")
        back = [json.loads(row[0]) if isinstance(row[0], str) else row[0] for row in cursor]
    assert back == [e.payload for e in events]
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    stored = list(Event.objects.order_by("seq"))
    assert [e.canonical for e in stored] == [e.canonical for e in events]
    assert [e.payload for e in stored] == [e.payload for e in events]
    assert ledger_verify().ok
    append(1)  # the service writes to the table as migrated
    assert ledger_verify().checked == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("ledger_teardown")
def test_verify_checks_ranges_at_once_on_their_own_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Outside a transaction, PostgreSQL checks ranges side by side, each from the stored hash
    before it; a change, or a missing event at a range's edge, is still named."""
    from fairhearing.ledger import queries

    monkeypatch.setattr(queries, "SQL_RANGE", 2)
    append(7)
    assert not connection.in_atomic_block
    seen: list[int] = []
    result = ledger_verify(progress=seen.append)
    assert (result.ok, result.checked) == (True, 7)
    assert result.head_hash == Event.objects.get(seq=7).hash
    if connection.vendor == "postgresql":
        assert seen == [2, 4, 6, 7]  # one range at a time, in order
    tamper("UPDATE ledger_event SET kind = 2 WHERE seq = 5")
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.checked) == (False, 5, 4)
    tamper("DELETE FROM ledger_event WHERE seq = 4")  # the last of the range (2, 4]
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.checked) == (False, 4, 3)
    assert "missing" in result.reason


def test_verify_checks_row_by_row_once_the_payload_column_is_no_longer_generated() -> None:
    """Someone who owns the database can make the payload a plain column again (PostgreSQL:
    DROP EXPRESSION) and then change a payload without touching the hashed bytes. The check in
    SQL relies on the column being generated, so verify notices it is not and compares every
    column row by row, which names the changed event."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot drop a column's generation; it always checks row by row")
    append(4, note="x")
    assert ledger_verify().ok
    tamper("ALTER TABLE ledger_event ALTER COLUMN payload DROP EXPRESSION")
    assert ledger_verify().ok  # a plain column that still agrees is no fault
    tamper("""UPDATE ledger_event SET payload = '{"note": "y"}' WHERE seq = 3""")
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.checked, result.reason) == (False, 3, 2, BAD_CONTENT)
