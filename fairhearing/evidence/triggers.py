"""Database triggers that make evidence rows immutable: UPDATE is refused on both databases.

DELETE stays possible for the retention job (issue: retention and anonymisation); nothing else
deletes evidence.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ("evidence_evidenceitem", "evidence_blob")
# Added later, by their own migration (0004): a capture's record is as immutable as its item.
CAPTURE_TABLES = ("evidence_webcapture",)
# And a redaction (0005): replaced by a later one, never changed.
REDACTION_TABLES = ("evidence_redaction",)


def install(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = TABLES) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"""
                    CREATE OR REPLACE FUNCTION {table}_refuse_update() RETURNS trigger
                    LANGUAGE plpgsql AS $$
                    BEGIN
                        RAISE EXCEPTION '{table} is immutable: UPDATE refused';
                    END
                    $$;
                    CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table}
                        FOR EACH ROW EXECUTE FUNCTION {table}_refuse_update();
                    """
                )
            elif connection.vendor == "sqlite":
                cursor.execute(
                    f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table}
                    BEGIN SELECT RAISE(ABORT, '{table} is immutable: UPDATE refused'); END"""
                )
            else:
                raise NotImplementedError(f"no evidence triggers for {connection.vendor}")


def remove(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = TABLES) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"DROP TRIGGER IF EXISTS {table}_immutable"
                + (f" ON {table}" if connection.vendor == "postgresql" else "")
            )
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse_update()")
