"""Reading the ledger: verification and case timelines."""

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet

from . import merkle
from .chain import canonical_bytes_fast, event_hash
from .heads import head_as_dict, key_id, public_key_hex, verify_head
from .models import GENESIS_HASH, PAYLOAD_GENERATION_POSTGRESQL, Event, TreeHead

VERIFY_CHUNK = 5000


@dataclass(frozen=True)
class HeadProblem:
    """A stored signed tree head the ledger no longer matches (or that was never signed)."""

    tree_size: int
    signed_at: dt.datetime
    reason: str

    def __str__(self) -> str:
        return (
            f"the signed head of {self.tree_size} events (signed {self.signed_at.isoformat()}) "
            f"does not match: {self.reason}"
        )


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    head_hash: str
    bad_seq: int | None = None
    reason: str = ""
    heads_checked: int = 0
    bad_head: HeadProblem | None = None

    @property
    def ok(self) -> bool:
        return self.bad_seq is None and self.bad_head is None

    @property
    def problem(self) -> str:
        """What is wrong, in words (empty when nothing is)."""
        if self.bad_seq is not None:
            return f"event #{self.bad_seq}: {self.reason}"
        if self.bad_head is not None:
            return str(self.bad_head)
        return ""


def _rows(after: int = 0, upto: int | None = None) -> Iterator[tuple]:
    """The events with after < seq <= upto, in order, in constant memory, straight from the
    driver: a server-side cursor on PostgreSQL, SQLite's own incremental fetch otherwise. The
    payload comes as JSON text and the time as UTC; no model instances, no per-field
    conversions."""
    table = Event._meta.db_table
    bounds = "WHERE seq > %s" + ("" if upto is None else " AND seq <= %s")
    params = [after] if upto is None else [after, upto]
    if connection.vendor == "postgresql":
        sql = (
            "SELECT seq, at, actor_id, case_id, kind, payload::text, prev_hash, hash, canonical "  # noqa: S608
            f"FROM {table} {bounds} ORDER BY seq"
        )
        with transaction.atomic():
            connection.ensure_connection()
            raw = connection.connection
            with raw.cursor(name="ledger_verify") as cursor:
                cursor.itersize = VERIFY_CHUNK
                cursor.execute(sql, params)
                for seq, at, actor_id, case_id, kind, payload, prev, stored, canon in cursor:
                    yield seq, at, actor_id, case_id, kind, json.loads(payload), prev, stored, canon
        return
    sql = (
        "SELECT seq, at, actor_id, case_id, kind, payload, prev_hash, hash, canonical "  # noqa: S608
        f"FROM {table} {bounds} ORDER BY seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(VERIFY_CHUNK):
            for seq, at, actor_id, case_id, kind, payload, prev, stored, canon in rows:
                if isinstance(at, str):
                    at = dt.datetime.fromisoformat(at)
                if at.tzinfo is None:
                    at = at.replace(tzinfo=dt.UTC)
                yield seq, at, actor_id, case_id, kind, json.loads(payload), prev, stored, canon


MISSING = "event #{seq} is missing"
BAD_LINK = "previous-hash does not match the event before it"
BAD_CONTENT = "content does not match its hash"


def _verify_python(
    after: int, upto: int | None, prev: str, progress: Callable[[int], None] | None
) -> VerifyResult:
    """Re-compute each event's canonical bytes from its columns and its hash from those."""
    expected_prev = prev
    expected_seq = after + 1
    checked = after
    for seq, at, actor_id, case_id, kind, payload, prev_hash, stored_hash, stored in _rows(
        after, upto
    ):
        if seq != expected_seq:
            return VerifyResult(
                checked, expected_prev, expected_seq, MISSING.format(seq=expected_seq)
            )
        if prev_hash != expected_prev:
            return VerifyResult(checked, expected_prev, seq, BAD_LINK)
        canonical = canonical_bytes_fast(seq, at, actor_id, case_id, kind, payload)
        if event_hash(prev_hash, canonical) != stored_hash or canonical != stored.encode():
            return VerifyResult(checked, expected_prev, seq, BAD_CONTENT)
        expected_prev = stored_hash
        expected_seq += 1
        checked += 1
        if progress is not None and checked % VERIFY_CHUNK == 0:
            progress(checked)
    return VerifyResult(checked, expected_prev)


# PostgreSQL checks a range of the chain itself: each event's hash over its stored canonical
# bytes, its link to the event before, no gap in the numbering, and that its columns say what
# its canonical bytes say, so changing a column, or the bytes, is caught either way:
# - the scalar columns must print as the bytes begin (their canonical text is fixed-format);
# - the payload column is generated from the bytes by the database (models.CanonicalPayload),
#   so it cannot disagree; `_payload_generated` checks it still is;
# - the seq in the bytes needs no check of its own: the links and the numbering already pin
#   every row's seq (hashes are unique, so any other order breaks a link).
# The checks run on the rows below the window (OFFSET 0 keeps the planner from lifting them
# onto its output), so only narrow rows pass through it. The first event failing any check
# comes back; none means the range is intact.
_VERIFY_SQL = """
SELECT before_seq, before_hash FROM (
    SELECT seq, prev_hash, intact, lag(seq) OVER w AS before_seq, lag(hash) OVER w AS before_hash
    FROM (
        SELECT seq, prev_hash, hash,
            sha256(decode(prev_hash, 'hex') || convert_to(canonical, 'UTF8')) = decode(hash, 'hex')
            AND starts_with(
                canonical,
                '{"actor":' || coalesce(actor_id::text, 'null')
                || ',"at":"' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                || '","case":' || coalesce(case_id::text, 'null')
                || ',"kind":' || kind::text || ',"payload":'
            ) AS intact
        FROM ledger_event
        WHERE seq > %(after)s AND seq <= %(upto)s
        ORDER BY seq
        OFFSET 0
    ) e
    WINDOW w AS (ORDER BY seq)
) v
WHERE seq <> coalesce(before_seq + 1, %(first)s)
    OR prev_hash <> coalesce(before_hash, %(prev)s)
    OR intact IS NOT TRUE
ORDER BY seq LIMIT 1
"""


def _payload_generated() -> bool:
    """Whether the payload column is still generated from the canonical bytes, by the expression
    the model declares. If someone made it a plain column again, `_VERIFY_SQL` no longer covers
    it, and the chain is checked row by row instead (which compares every column)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attgenerated, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a"
            " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " WHERE a.attrelid = 'ledger_event'::regclass AND a.attname = 'payload'"
        )
        row = cursor.fetchone()
    return row == ("s", PAYLOAD_GENERATION_POSTGRESQL)


# Events per statement: progress between them, and a bounded amount of work for each.
SQL_RANGE = 1_000_000
# Ranges checked at once, each by its own connection (a PostgreSQL backend each: a core each).
VERIFY_THREADS = 2


def _range_check(after: int, upto: int, *, own_connection: bool) -> tuple[str, Any]:
    """One range's verdict: ("ok", its last hash), ("bad", the event before the first bad
    one), or ("broken", None) when the bytes are not JSON or a boundary event is missing.

    The range starts from the stored hash of the event before it, which the range before
    checked: ranges can be checked in any order and at once."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            prev = GENESIS_HASH
            if after:
                cursor.execute("SELECT hash FROM ledger_event WHERE seq = %s", [after])
                row = cursor.fetchone()
                if row is None:
                    return "broken", None
                prev = row[0]
            cursor.execute(
                _VERIFY_SQL, {"first": after + 1, "prev": prev, "after": after, "upto": upto}
            )
            bad = cursor.fetchone()
            cursor.execute("SELECT hash FROM ledger_event WHERE seq = %s", [upto])
            head = cursor.fetchone()
    except DatabaseError:
        return "broken", None
    finally:
        if own_connection:
            connection.close()
    if bad is not None:
        return "bad", bad
    if head is None:
        return "broken", None
    return "ok", head[0]


def _verify_postgresql(progress: Callable[[int], None] | None) -> VerifyResult:
    if not _payload_generated():
        return _verify_python(0, None, GENESIS_HASH, progress)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(seq) FROM ledger_event")
        (last,) = cursor.fetchone()
    if last is None:
        return VerifyResult(0, GENESIS_HASH)
    ranges = [(after, min(after + SQL_RANGE, last)) for after in range(0, last, SQL_RANGE)]
    good_seq, good_hash = 0, GENESIS_HASH
    for upto, (status, value) in zip((u for _, u in ranges), _verdicts(ranges), strict=True):
        if status == "bad":
            # Name the event and the reason as the row by row check does.
            before_seq, before_hash = value
            if before_seq is None:  # the range's first event
                return _verify_python(good_seq, None, good_hash, None)
            return _verify_python(before_seq, None, before_hash, None)
        if status == "broken":
            return _verify_python(good_seq, None, good_hash, progress)
        good_seq, good_hash = upto, value
        if progress is not None:
            progress(upto)
    return VerifyResult(good_seq, good_hash)


def _verdicts(ranges: list[tuple[int, int]]) -> Iterator[tuple[str, Any]]:
    """Each range's verdict, in order; `VERIFY_THREADS` ranges are checked at once."""
    if connection.in_atomic_block:
        # Other connections cannot see the events of a transaction still open (a test's):
        # one range at a time, on this connection.
        for after, upto in ranges:
            yield _range_check(after, upto, own_connection=False)
        return
    with ThreadPoolExecutor(max_workers=VERIFY_THREADS) as pool:
        futures = [pool.submit(_range_check, a, u, own_connection=True) for a, u in ranges]
        try:
            for future in futures:
                yield future.result()
        finally:  # a bad range ends the check: the ranges not started are not
            for future in futures:
                future.cancel()


HEAD_OTHER_KEY = "it was signed with key {theirs}, and this ledger's key is {ours}"
HEAD_BAD_SIGNATURE = "its signature does not verify with this ledger's public key"
HEAD_BEYOND = "it covers {size} events and the ledger holds only {have}"
HEAD_OTHER_ROOT = "the first {size} events give the root {root}, and the head says {said}"


# Leaves per fetch in the heads check: a power of two (`merkle.roots_at_chunks`). 16,384 rows,
# their leaf hashes and subtrees add about 13 MB to the process, and larger chunks are no faster.
HEADS_CHUNK = 1 << 14


class _Stopped(Exception):
    """The heads check was told to stop (the chain check already failed)."""


def _leaf_chunks(upto: int, stop: threading.Event | None) -> Iterator[list[bytes]]:
    """The Merkle leaf hashes of the events with seq <= upto, in order, `HEADS_CHUNK` at a time
    (only the last chunk is shorter), in constant memory: the stored hashes come from a
    server-side cursor on PostgreSQL (SQLite's own incremental fetch otherwise) and Python
    hashes them, a chunk in one list comprehension (cheaper than SHA-256 in the database)."""
    sql = f"SELECT hash FROM {Event._meta.db_table} WHERE seq <= %s ORDER BY seq"  # noqa: S608
    with transaction.atomic():
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            cursor = connection.connection.cursor(name="ledger_heads")
        else:
            cursor = connection.cursor()
        with cursor:
            cursor.execute(sql, [upto])
            fromhex = bytes.fromhex
            while True:
                if stop is not None and stop.is_set():
                    raise _Stopped
                rows = cursor.fetchmany(HEADS_CHUNK)
                if rows:
                    yield merkle.leaf_hashes(fromhex(hash_) for (hash_,) in rows)
                if len(rows) < HEADS_CHUNK:
                    return


def heads_verify(stop: threading.Event | None = None) -> tuple[int, HeadProblem | None]:
    """Check every stored signed tree head against the ledger as it stands: its signature with
    this ledger's key, and its root re-computed from the events it covers. One pass over the
    leaves serves every head (`merkle.roots_at_chunks`). Returns how many heads were checked
    and the first (smallest) that fails, if any.

    Someone who rewrites an event and re-computes every later hash passes the chain check, but
    not this: the heads signed before the rewrite hold the old roots, and without the signing
    key the heads cannot be re-signed to match."""
    stored = list(TreeHead.objects.order_by("tree_size"))
    if not stored:
        return 0, None
    public = public_key_hex()
    ours = key_id(public)
    for head in stored:
        if head.key_id != ours:
            reason = HEAD_OTHER_KEY.format(theirs=head.key_id, ours=ours)
            return 0, HeadProblem(head.tree_size, head.signed_at, reason)
        if not verify_head(head_as_dict(head), public):
            return 0, HeadProblem(head.tree_size, head.signed_at, HEAD_BAD_SIGNATURE)
    sizes = [head.tree_size for head in stored]
    checked = 0
    roots = merkle.roots_at_chunks(sizes, _leaf_chunks(sizes[-1], stop), HEADS_CHUNK)
    for head, (_, root) in zip(stored, roots, strict=False):
        if root.hex() != head.root_hash:
            said = head.root_hash
            reason = HEAD_OTHER_ROOT.format(size=head.tree_size, root=root.hex(), said=said)
            return checked, HeadProblem(head.tree_size, head.signed_at, reason)
        checked += 1
    if checked < len(stored):
        head = stored[checked]
        have = Event.objects.count()
        reason = HEAD_BEYOND.format(size=head.tree_size, have=have)
        return checked, HeadProblem(head.tree_size, head.signed_at, reason)
    return checked, None


def _heads_verify_own_connection(stop: threading.Event) -> tuple[int, HeadProblem | None]:
    try:
        return heads_verify(stop)
    finally:
        connection.close()


def chain_verify(progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Re-compute the whole chain; stop at the first event that does not fit.

    On PostgreSQL the database does the work (_VERIFY_SQL), two ranges at a time;
    elsewhere, and to name the reason once something is wrong, each event is re-encoded from its
    columns in Python. Both check the same things."""
    if connection.vendor == "postgresql":
        return _verify_postgresql(progress)
    return _verify_python(0, None, GENESIS_HASH, progress)


def ledger_verify(progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Re-compute the whole chain (`chain_verify`), and the Merkle root at every stored signed
    head (`heads_verify`). A fault in the chain is reported before any in the heads.

    On PostgreSQL outside a transaction the heads are checked at the same time as the chain, on
    a connection and a thread of their own: the chain's ranges keep the database busy while
    Python hashes the leaves, so the heads add little to the time. They are told to stop once
    the chain has failed."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # SQLite's check is Python, which holds the interpreter; and other connections cannot
        # see the events of a transaction still open (a test's): one check after the other.
        chain = chain_verify(progress)
        if not chain.ok:
            return chain
        heads_checked, bad_head = heads_verify()
        return replace(chain, heads_checked=heads_checked, bad_head=bad_head)
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        heads = pool.submit(_heads_verify_own_connection, stop)
        try:
            chain = chain_verify(progress)
        except BaseException:
            stop.set()
            raise
        if not chain.ok:
            stop.set()
            return chain
        heads_checked, bad_head = heads.result()
    return replace(chain, heads_checked=heads_checked, bad_head=bad_head)


def events_for_case(case_id: int) -> QuerySet[Event]:
    return Event.objects.filter(case_id=case_id).order_by("seq")
