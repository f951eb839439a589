"""A whole-ledger rewrite: an event edited and every later hash re-computed, so the chain
links up again. The signed tree heads stored before it no longer match, and `ledger verify`
names the first of them (issue 19, item 5)."""

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client

from fairhearing.ledger import heads
from fairhearing.ledger.chain import canonical_bytes, event_hash
from fairhearing.ledger.heads import NOT_EXTENDED, SAVED_SIGNATURE
from fairhearing.ledger.maintenance import triggers_bypassed
from fairhearing.ledger.models import GENESIS_HASH, Event, EventKind, TreeHead
from fairhearing.ledger.queries import (
    HEAD_BAD_SIGNATURE,
    HEAD_BEYOND,
    HEAD_OTHER_KEY,
    ledger_verify,
)
from fairhearing.ledger.services import event_append

pytestmark = pytest.mark.django_db

SIGNED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _key(settings, tmp_path: Path) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"


def append(n: int) -> None:
    with transaction.atomic():
        for _ in range(n):
            event_append(actor=None, kind=EventKind.CASE_VIEWED, case_id=7, payload={"n": 1})


def rewrite(seq: int, **changes: object) -> None:
    """Edit event `seq` and re-compute its hash and every later one, as someone who can lift the
    append-only triggers would: the chain links up again from genesis to the end."""
    with triggers_bypassed(), connection.cursor() as cursor:
        prev = GENESIS_HASH
        for event in Event.objects.order_by("seq"):
            columns: dict[str, Any] = {
                "seq": event.seq,
                "at": event.at,
                "actor_id": event.actor_id,
                "case_id": event.case_id,
                "kind": event.kind,
                "payload": event.payload,
            }
            if event.seq == seq:
                columns.update(changes)
            canonical = canonical_bytes(**columns)
            new_hash = event_hash(prev, canonical)
            cursor.execute(
                "UPDATE ledger_event SET case_id = %s, canonical = %s, prev_hash = %s, hash = %s"
                " WHERE seq = %s",
                [columns["case_id"], canonical.decode(), prev, new_hash, event.seq],
            )
            prev = new_hash


def test_verify_checks_every_stored_head_and_passes_when_they_match() -> None:
    append(4)
    heads.tree_head_sign(at=SIGNED)
    append(3)
    heads.tree_head_sign(at=SIGNED + dt.timedelta(hours=1))
    append(2)  # events after the last head are checked by the chain alone
    result = ledger_verify()
    assert (result.ok, result.checked, result.heads_checked) == (True, 9, 2)


def test_a_rewritten_ledger_with_every_hash_recomputed_fails_verify_naming_the_head() -> None:
    append(4)
    heads.tree_head_sign(at=SIGNED)
    append(3)
    heads.tree_head_sign(at=SIGNED + dt.timedelta(hours=1))
    rewrite(6, case_id=99)
    result = ledger_verify()
    # The chain itself is whole again: only the heads show the rewrite.
    assert result.bad_seq is None and result.checked == 7
    assert not result.ok
    assert result.bad_head is not None
    assert (result.bad_head.tree_size, result.bad_head.signed_at) == (
        7,
        SIGNED + dt.timedelta(hours=1),
    )
    assert result.heads_checked == 1  # the head of 4 events still matches
    assert "the first 7 events give the root" in result.bad_head.reason
    # An edit before the first head names that one.
    rewrite(2, case_id=98)
    bad = ledger_verify().bad_head
    assert bad is not None and bad.tree_size == 4


def test_the_verify_command_exits_non_zero_naming_the_head_and_when_it_was_signed() -> None:
    append(5)
    heads.tree_head_sign(at=SIGNED)
    rewrite(3, case_id=99)
    with pytest.raises(CommandError) as raised:
        call_command("ledger", "verify", "--quiet")
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert "the signed head of 5 events (signed 2026-12-01T09:00:00+00:00)" in message
    assert "the chain of 5 events links up" in message


def test_a_head_rewritten_to_match_the_rewrite_fails_its_signature() -> None:
    append(5)
    heads.tree_head_sign(at=SIGNED)
    rewrite(3, case_id=99)
    root = heads.subtree_root(0, 5).hex()
    TreeHead.objects.filter(tree_size=5).update(root_hash=root)
    result = ledger_verify()
    assert result.bad_head is not None
    assert (result.bad_head.tree_size, result.bad_head.reason) == (5, HEAD_BAD_SIGNATURE)


def test_a_head_signed_with_another_key_fails(settings, tmp_path: Path) -> None:
    append(3)
    heads.tree_head_sign(at=SIGNED)
    theirs = TreeHead.objects.get().key_id
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "another.key"
    result = ledger_verify()
    assert result.bad_head is not None
    ours = heads.key_id(heads.public_key_hex())
    assert result.bad_head.reason == HEAD_OTHER_KEY.format(theirs=theirs, ours=ours)


def test_events_removed_from_the_end_fail_the_head_that_covered_them() -> None:
    """Cutting the last events off leaves a chain that links up; the head still covers them."""
    append(6)
    heads.tree_head_sign(at=SIGNED)
    with triggers_bypassed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_event WHERE seq > 4")
    result = ledger_verify()
    assert result.bad_seq is None and result.checked == 4
    assert result.bad_head is not None
    assert result.bad_head.reason == HEAD_BEYOND.format(size=6, have=4)


def test_a_head_of_the_empty_ledger_matches() -> None:
    heads.tree_head_sign(at=SIGNED)
    append(2)
    result = ledger_verify()
    assert (result.ok, result.heads_checked) == (True, 1)


def save_heads(client: Client, tmp_path: Path) -> Path:
    """What a witness keeps: the public heads listing, as served."""
    saved = tmp_path / "heads.json"
    saved.write_text(client.get("/ledger/heads").content.decode())
    return saved


def test_check_proof_finds_a_saved_head_extended_by_the_ledger_today(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(5)
    heads.tree_head_sign(at=SIGNED)
    saved = save_heads(client, tmp_path)
    append(4)  # the ledger grows: check-proof signs a head of it and proves consistency
    call_command("ledger", "check-proof", str(saved))
    out = capsys.readouterr().out
    assert "the head of 5 events signed 2026-12-01T09:00:00+00:00: OK" in out
    assert "the ledger's head now: 9 events" in out


def test_check_proof_catches_a_rewrite_with_a_head_saved_before_it(
    client: Client, tmp_path: Path
) -> None:
    append(5)
    heads.tree_head_sign(at=SIGNED)
    saved = save_heads(client, tmp_path)
    rewrite(2, case_id=99)
    append(3)
    # The worker signs the rewritten ledger with the real key: that head is no help to whoever
    # rewrote it, because it does not extend the one saved before.
    heads.tree_head_sign(at=SIGNED + dt.timedelta(hours=2))
    with pytest.raises(CommandError) as raised:
        call_command("ledger", "check-proof", str(saved))
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert "the head of 5 events signed 2026-12-01T09:00:00+00:00" in message
    assert NOT_EXTENDED.format(size=5, have=8) in message


def test_check_proof_refuses_a_saved_head_whose_signature_is_wrong(tmp_path: Path) -> None:
    append(3)
    head = heads.head_as_dict(heads.tree_head_sign(at=SIGNED))
    forged = tmp_path / "head.json"
    forged.write_text(json.dumps({**head, "signature": "00" * 64}))
    with pytest.raises(CommandError) as raised:
        call_command("ledger", "check-proof", str(forged))
    assert raised.value.returncode == 2
    assert SAVED_SIGNATURE.format(public=heads.public_key_hex()) in str(raised.value)


def test_check_proof_catches_events_removed_since_the_saved_head(tmp_path: Path) -> None:
    append(6)
    saved = tmp_path / "head.json"
    saved.write_text(json.dumps(heads.head_as_dict(heads.tree_head_sign(at=SIGNED))))
    with triggers_bypassed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_event WHERE seq > 4")
        cursor.execute("DELETE FROM ledger_treehead")
    with pytest.raises(CommandError, match="holds only 4"):
        call_command("ledger", "check-proof", str(saved))


def test_verify_reads_the_leaves_a_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Heads inside a chunk, at its edge and at the end; a rewrite in the second chunk."""
    from fairhearing.ledger import queries

    monkeypatch.setattr(queries, "HEADS_CHUNK", 4)
    for n, hour in ((3, 0), (5, 1), (3, 2)):  # heads of 3, 8 and 11 events
        append(n)
        heads.tree_head_sign(at=SIGNED + dt.timedelta(hours=hour))
    append(1)
    result = ledger_verify()
    assert (result.ok, result.checked, result.heads_checked) == (True, 12, 3)
    rewrite(6, case_id=99)
    result = ledger_verify()
    assert result.bad_seq is None and result.heads_checked == 1
    assert result.bad_head is not None and result.bad_head.tree_size == 8


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("ledger_teardown")
def test_verify_outside_a_transaction_checks_the_heads_alongside_the_chain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL the heads are checked on a connection of their own while the chain is:
    a rewrite still names the head, and a broken chain is still reported first."""
    from fairhearing.ledger import queries

    monkeypatch.setattr(queries, "HEADS_CHUNK", 2)
    monkeypatch.setattr(queries, "SQL_RANGE", 3)
    threads: list[str] = []
    on_own_connection = queries._heads_verify_own_connection

    def spy(stop: threading.Event) -> tuple[int, queries.HeadProblem | None]:
        threads.append(threading.current_thread().name)
        return on_own_connection(stop)

    monkeypatch.setattr(queries, "_heads_verify_own_connection", spy)
    append(4)
    heads.tree_head_sign(at=SIGNED)
    append(3)
    heads.tree_head_sign(at=SIGNED + dt.timedelta(hours=1))
    assert not connection.in_atomic_block
    result = ledger_verify()
    assert (result.ok, result.checked, result.heads_checked) == (True, 7, 2)
    if connection.vendor == "postgresql":
        assert threads and threading.main_thread().name not in threads
    rewrite(6, case_id=99)
    result = ledger_verify()
    assert result.bad_seq is None and result.checked == 7
    assert result.bad_head is not None and result.heads_checked == 1
    assert (result.bad_head.tree_size, result.bad_head.signed_at) == (
        7,
        SIGNED + dt.timedelta(hours=1),
    )
    with triggers_bypassed(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_event SET kind = 2 WHERE seq = 2")
    result = ledger_verify()
    assert (result.bad_seq, result.bad_head, result.heads_checked) == (2, None, 0)
