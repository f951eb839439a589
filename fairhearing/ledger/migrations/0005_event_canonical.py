"""Each event keeps the canonical bytes its hash covers, so that PostgreSQL can verify the chain.

Existing events get theirs computed from their columns, exactly as `ledger_verify` computes
them; no hash changes. The append-only triggers are lifted for the backfill and put back (on
SQLite, adding a column may rebuild the table, which would drop them).
"""

import datetime as dt
import json

from django.db import migrations, models

from fairhearing.ledger import triggers
from fairhearing.ledger.chain import canonical_bytes_fast

BATCH = 5000


def _lift(apps, schema_editor) -> None:
    triggers.remove(schema_editor.connection)


def _restore(apps, schema_editor) -> None:
    triggers.remove(schema_editor.connection)
    triggers.install(schema_editor.connection)


def _backfill(apps, schema_editor) -> None:
    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    payload = "payload::text" if postgres else "payload"
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT seq, at, actor_id, case_id, kind, {payload} FROM ledger_event"  # noqa: S608
                " WHERE seq > %s ORDER BY seq LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            updates = []
            for seq, at, actor_id, case_id, kind, data in rows:
                if isinstance(at, str):
                    at = dt.datetime.fromisoformat(at)
                if at.tzinfo is None:
                    at = at.replace(tzinfo=dt.UTC)
                canonical = canonical_bytes_fast(
                    seq, at, actor_id, case_id, kind, json.loads(data)
                ).decode()
                updates.append((canonical, seq))
            cursor.executemany("UPDATE ledger_event SET canonical = %s WHERE seq = %s", updates)
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_tree_heads"),
    ]

    operations = [
        migrations.RunPython(_lift, _restore),
        migrations.AddField(
            model_name="event",
            name="canonical",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(_backfill, migrations.RunPython.noop),
        migrations.RunPython(_restore, _lift),
    ]
