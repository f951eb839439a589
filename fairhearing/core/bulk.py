"""Inserting many rows at once: COPY on PostgreSQL, multi-row INSERT elsewhere.

`bulk_create` builds one INSERT with a placeholder per value. For the thousands of rows a
dossier chunk or the benchmark generator writes, most of the time went into building,
parsing and sending those statements (psycopg parses every placeholder of a long query
afresh) rather than into the database's work. COPY sends the rows as a stream instead.

`insert_many` takes model instances, as `bulk_create` does, and gives each its primary key.
On PostgreSQL the keys are taken from the table's sequence first (one statement for the lot),
since COPY returns nothing. Values go through each field's `pre_save` and `get_db_prep_save`,
as with `bulk_create`, so encrypted fields are encrypted, `auto_now_add` is set and JSON is
adapted the same way.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

M = TypeVar("M", bound=models.Model)

# Rows per INSERT where there is no COPY, within SQLite's limit on parameters per statement.
_MAX_PARAMS = 30_000
# Below this many rows a plain INSERT is as quick (one event appended by a page, say).
_COPY_FROM = 20


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert plain rows (values already prepared for the database) into `table`."""
    rows = list(rows)
    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= _COPY_FROM:
            # psycopg 3 under Django's cursor wrapper: the rows stream in one statement.
            # Errors are Django's (IntegrityError and so on), as from any other statement.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        limit = connection.features.max_query_params or _MAX_PARAMS
        size = max(1, min(3000, limit // len(columns)))
        placeholder = f"({', '.join(['%s'] * len(columns))})"
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) VALUES "  # noqa: S608
                + ", ".join([placeholder] * len(batch)),
                [value for row in batch for value in row],
            )


_TEXT, _INTEGER = (str,), (int,)
# Field classes whose value of the given exact type goes to the database unchanged (psycopg
# adapts it as Django would have prepared it). Any other value, a str or int subclass such
# as a choices member, an encrypted or JSON field, takes Django's `get_db_prep_save`.
_PLAIN: dict[type, tuple[type, ...]] = {
    models.AutoField: _INTEGER,
    models.BigAutoField: _INTEGER,
    models.BigIntegerField: _INTEGER,
    models.IntegerField: _INTEGER,
    models.PositiveIntegerField: _INTEGER,
    models.PositiveSmallIntegerField: _INTEGER,
    models.SmallIntegerField: _INTEGER,
    models.BooleanField: (bool,),
    models.CharField: _TEXT,
    models.SlugField: _TEXT,
    models.TextField: _TEXT,
    models.DateField: (dt.date,),
    models.DateTimeField: (dt.datetime,),  # and aware: see _prepare
}


def _plain_types(field: models.Field) -> tuple[type, ...]:
    if type(field) is models.ForeignKey:
        return _PLAIN.get(type(field.target_field), ())
    return _PLAIN.get(type(field), ())


def _prepare(field: models.Field, plain: tuple[type, ...], value: Any, db: Any) -> Any:
    kind = type(value)
    if plain and (
        value is None or (kind in plain and (kind is not dt.datetime or value.tzinfo is not None))
    ):
        return value
    return field.get_db_prep_save(value, db)


def insert_many(objs: list[M]) -> list[M]:
    """Save new instances of one model, as `bulk_create` does, and set their primary keys."""
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql" or len(objs) < _COPY_FROM:
        model._base_manager.bulk_create(objs)
        return objs
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [(f, _plain_types(f)) for f in meta.concrete_fields]
    relations = [f.attname for f in meta.concrete_fields if f.is_relation]
    for obj in objs:
        # A related object saved after it was assigned: take its key now, as bulk_create does.
        if any(getattr(obj, name) is None for name in relations):
            obj._prepare_related_fields_for_save(operation_name="insert_many")  # type: ignore[attr-defined]
    missing = [obj for obj in objs if obj.pk is None]
    with connection.cursor() as cursor:
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(missing)],
            )
            for obj, key in zip(missing, sorted(r[0] for r in cursor.fetchall()), strict=True):
                obj.pk = key
    # The connection itself rather than `django.db.connection`, a proxy that looks it up again
    # on every attribute: fields consult it for each value, hundreds of thousands of times.
    db = connections[DEFAULT_DB_ALIAS]
    copy_rows(
        meta.db_table,
        [f.column for f, _ in fields],
        ([_prepare(f, plain, f.pre_save(obj, True), db) for f, plain in fields] for obj in objs),
    )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
