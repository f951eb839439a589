"""Evidence rows cannot be updated, in the database itself (see fairhearing/evidence/triggers.py)."""

from django.db import migrations

from fairhearing.evidence import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
