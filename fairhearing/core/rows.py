"""Model instances from one row of a statement written by hand, as the ORM would make them.

For the few statements on a hot path where the ORM's own cost of building and compiling the
query is several times the database's (the API token's look-up on every request: 1.3 ms of
CPU through a queryset, 0.2 ms through a cursor, on this project's test machine). The columns
are the models' concrete fields in order (`columns`); each value goes through the converters
the ORM applies (the backend's, then the field's), and the instances are made with
`Model.from_db`, as a queryset makes them.
"""

import functools
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

Converter = Callable[[Any, Any, Any], Any]


class _Reading(NamedTuple):
    names: list[str]
    pk: int
    converters: list[tuple[Any, list[Converter]]]


def columns(model: type[models.Model], alias: str) -> str:
    """The select list for `model`'s concrete fields, in order, from the table named `alias`."""
    quote = connection.ops.quote_name
    return ", ".join(f"{quote(alias)}.{quote(f.column)}" for f in model._meta.concrete_fields)


@functools.lru_cache(maxsize=64)
def _reading(model: type[models.Model], db: BaseDatabaseWrapper) -> _Reading:
    """How to read `model` from a row on the connection `db`: its field names, where its key
    is, and each column's converters. Kept per connection object, not per vendor: a backend's
    converters are methods of that connection's operations (one connection a thread)."""
    names, converters = [], []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        names.append(field.attname)
        converters.append((column, db.ops.get_db_converters(column) + column.get_db_converters(db)))
    return _Reading(names, names.index(model._meta.pk.attname), converters)


def instances(row: Sequence[Any], kinds: Sequence[type[models.Model]]) -> list[models.Model | None]:
    """One instance of each model from consecutive runs of `row` (as `columns` selected them);
    None for a model whose primary key is null (a LEFT JOIN that found nothing)."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy
    made: list[models.Model | None] = []
    start = 0
    for model in kinds:
        reading = _reading(model, db)
        values = list(row[start : start + len(reading.names)])
        start += len(reading.names)
        for i, (column, converters) in enumerate(reading.converters):
            for convert in converters:
                values[i] = convert(values[i], column, db)
        if values[reading.pk] is None:
            made.append(None)
            continue
        made.append(model.from_db(db.alias, reading.names, values))
    if start != len(row):
        raise ValueError(f"the row has {len(row)} values, the models {start}")
    return made
