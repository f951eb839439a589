"""Database triggers that make the ledger append-only, for each supported database.

TRUNCATE of an *empty* ledger is allowed on PostgreSQL (it changes nothing, and Django's test
flush truncates every table at once); a non-empty one is refused.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

POSTGRES_INSTALL = """
CREATE OR REPLACE FUNCTION ledger_event_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF EXISTS (SELECT 1 FROM ledger_event) THEN
            RAISE EXCEPTION 'ledger_event is append-only: TRUNCATE refused';
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'ledger_event is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER ledger_event_append_only
    BEFORE UPDATE OR DELETE ON ledger_event
    FOR EACH ROW EXECUTE FUNCTION ledger_event_refuse_change();
CREATE TRIGGER ledger_event_no_truncate
    BEFORE TRUNCATE ON ledger_event
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_event_refuse_change();
"""

POSTGRES_REMOVE = """
DROP TRIGGER IF EXISTS ledger_event_append_only ON ledger_event;
DROP TRIGGER IF EXISTS ledger_event_no_truncate ON ledger_event;
DROP FUNCTION IF EXISTS ledger_event_refuse_change();
"""

SQLITE_INSTALL = [
    """CREATE TRIGGER ledger_event_no_update BEFORE UPDATE ON ledger_event
       BEGIN SELECT RAISE(ABORT, 'ledger_event is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER ledger_event_no_delete BEFORE DELETE ON ledger_event
       BEGIN SELECT RAISE(ABORT, 'ledger_event is append-only: DELETE refused'); END""",
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS ledger_event_no_update",
    "DROP TRIGGER IF EXISTS ledger_event_no_delete",
]


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_INSTALL)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_INSTALL:
                cursor.execute(statement)
        else:
            raise NotImplementedError(f"no ledger triggers for {connection.vendor}")


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_REMOVE)
        else:
            for statement in SQLITE_REMOVE:
                cursor.execute(statement)
