"""The one deliberate bypass of the ledger's append-only triggers.

Used only by the test suite (to empty the ledger between transactional tests, and to tamper
with a row on purpose so that `ledger verify` can be shown to catch it). Production code never
imports this module; an operator who can run it already owns the database, and the hash chain
(and, later, published signed heads) still exposes any change made with it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from . import triggers
from .services import ledger_head_forget


@contextmanager
def triggers_bypassed() -> Iterator[None]:
    with transaction.atomic():
        triggers.remove(connection)
        ledger_head_forget()
        try:
            yield
        finally:
            triggers.install(connection)
            ledger_head_forget()


def ledger_wipe() -> None:
    with triggers_bypassed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_event")
