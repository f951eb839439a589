"""Key rotation for the encrypted fields (core/crypto.py), online and in batches.

`keys_rotate` walks every table with encrypted columns by primary key, a batch per short
transaction, and re-encrypts each value that the current (first) key did not make. Reads
keep working throughout, because every key in FIELD_ENCRYPTION_KEYS decrypts; writes made
meanwhile already use the current key. Each row is updated only if its value is still the
one read (`WHERE col = old`), so a concurrent change is never overwritten with an older
value. When `keys_status` shows nothing left under an old key, that key can be removed.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction

from fairhearing.core.crypto import current_key_encrypts, encrypted_models, rotate_token
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append


@dataclass
class RotationResult:
    rows_read: int = 0
    values_rotated: int = 0
    seconds: float = 0.0
    by_table: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0


def _tables() -> list[tuple[str, str, list[str]]]:
    found = []
    for model, names in encrypted_models():
        columns = [f.column for f in model._meta.concrete_fields if f.attname in names]
        found.append((model._meta.db_table, str(model._meta.pk.column), columns))
    return sorted(found)


def encrypted_row_total() -> int:
    quote = connection.ops.quote_name
    total = 0
    with connection.cursor() as cursor:
        for table, _, _ in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our own names
            total += cursor.fetchone()[0]
    return total


def _batches(table: str, pk: str, columns: list[str], batch: int) -> Iterator[list[tuple]]:
    """The rows of `table` in primary-key order, `batch` at a time (constant memory)."""
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    last = None
    while True:
        with connection.cursor() as cursor:
            where = f"WHERE {quote(pk)} > %s " if last is not None else ""
            cursor.execute(
                f"SELECT {quote(pk)}, {cols} FROM {quote(table)} {where}"  # noqa: S608
                f"ORDER BY {quote(pk)} LIMIT %s",
                [last, batch] if last is not None else [batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def keys_status(*, batch: int = 2000) -> dict[str, int]:
    """Per table, how many values the current key did not make (0 everywhere: old keys unused)."""
    stale: dict[str, int] = {}
    for table, pk, columns in _tables():
        stale[table] = sum(
            1
            for rows in _batches(table, pk, columns, batch)
            for row in rows
            for v in row[1:]
            if v and not current_key_encrypts(v)
        )
    return stale


def keys_rotate(
    *, actor: object = None, batch: int = 500, progress: Callable[[int, int], None] | None = None
) -> RotationResult:
    """Re-encrypt every encrypted value under the current key. Online: see the module doc."""
    quote = connection.ops.quote_name
    result = RotationResult()
    total = encrypted_row_total()
    started = time.monotonic()
    for table, pk, columns in _tables():
        rotated_here = 0
        for rows in _batches(table, pk, columns, batch):
            with transaction.atomic(), connection.cursor() as cursor:
                for row in rows:
                    key, values = row[0], row[1:]
                    for column, value in zip(columns, values, strict=True):
                        if not value or current_key_encrypts(value):
                            continue
                        cursor.execute(
                            f"UPDATE {quote(table)} SET {quote(column)} = %s "  # noqa: S608
                            f"WHERE {quote(pk)} = %s AND {quote(column)} = %s",
                            [rotate_token(value), key, value],
                        )
                        rotated_here += cursor.rowcount
            result.rows_read += len(rows)
            if progress:
                progress(result.rows_read, total)
        result.by_table[table] = rotated_here
        result.values_rotated += rotated_here
    result.seconds = time.monotonic() - started
    with transaction.atomic():
        event_append(
            actor=actor,
            kind=EventKind.KEYS_ROTATED,
            case_id=None,
            payload={"rows_read": result.rows_read, "values_rotated": result.values_rotated},
        )
    return result
