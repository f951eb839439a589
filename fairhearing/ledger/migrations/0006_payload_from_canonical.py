"""The payload column becomes generated from the canonical bytes the hash covers.

Every event's canonical bytes were filled in by 0005, and they carry its payload; the column
is dropped and added again as `GENERATED ALWAYS AS (canonical::jsonb -> 'payload') STORED`
(on SQLite, `canonical -> '$.payload'`), which the database computes for every existing row.
Nothing is lost and no hash changes. The append-only triggers are lifted for the rebuild and
put back (SQLite rebuilds the table, which would drop them).
"""

from django.db import migrations, models

import fairhearing.ledger.models
from fairhearing.ledger import triggers


def _lift(apps, schema_editor) -> None:
    triggers.remove(schema_editor.connection)


def _restore(apps, schema_editor) -> None:
    triggers.remove(schema_editor.connection)
    triggers.install(schema_editor.connection)


def _payload_back(apps, schema_editor) -> None:
    """Going back: the plain column gets each event's payload from its bytes again."""
    extract = (
        "canonical::jsonb -> 'payload'"
        if schema_editor.connection.vendor == "postgresql"
        else "canonical -> '$.payload'"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE ledger_event SET payload = {extract}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_event_canonical"),
    ]

    operations = [
        migrations.RunPython(_lift, _restore),
        migrations.RunPython(migrations.RunPython.noop, _payload_back),
        migrations.RemoveField(model_name="event", name="payload"),
        migrations.AddField(
            model_name="event",
            name="payload",
            field=models.GeneratedField(
                db_persist=True,
                expression=fairhearing.ledger.models.CanonicalPayload(),
                output_field=models.JSONField(),
            ),
        ),
        migrations.RunPython(_restore, _lift),
    ]
