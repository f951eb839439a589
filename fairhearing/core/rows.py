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
from typing import Any

from django.db import connection, models

Converter = Callable[[Any, Any, Any], Any]


def columns(model: type[models.Model], alias: str) -> str:
    """The select list for `model`'s concrete fields, in order, from the table named `alias`."""
    quote = connection.ops.quote_name
    return ", ".join(f"{quote(alias)}.{quote(f.column)}" for f in model._meta.concrete_fields)


@functools.cache
def _converters(model: type[models.Model], vendor: str) -> list[tuple[Any, list[Converter]]]:
    found = []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        found.append(
            (
                column,
                connection.ops.get_db_converters(column) + column.get_db_converters(connection),
            )
        )
    return found


def instances(row: Sequence[Any], kinds: Sequence[type[models.Model]]) -> list[models.Model | None]:
    """One instance of each model from consecutive runs of `row` (as `columns` selected them);
    None for a model whose primary key is null (a LEFT JOIN that found nothing)."""
    made: list[models.Model | None] = []
    start = 0
    for model in kinds:
        fields = _converters(model, connection.vendor)
        values = list(row[start : start + len(fields)])
        start += len(fields)
        for i, (column, converters) in enumerate(fields):
            for convert in converters:
                values[i] = convert(values[i], column, connection)
        names = [f.attname for f in model._meta.concrete_fields]
        if values[names.index(model._meta.pk.attname)] is None:
            made.append(None)
            continue
        made.append(model.from_db(connection.alias, names, values))
    if start != len(row):
        raise ValueError(f"the row has {len(row)} values, the models {start}")
    return made
