"""The blind index of names (people.models.NameToken), filled for the people on record.

Each name is decrypted once, here, to be indexed; anonymised people are left out. On
PostgreSQL the tokens go in by COPY, a batch of people at a time.
"""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def index_names(apps, schema_editor):
    from fairhearing.people.models import name_index_insert

    Person = apps.get_model("people", "Person")
    people = (
        Person.objects.filter(anonymised_at__isnull=True)
        .only("pk", "organisation_id", "full_name", "anonymised_at")
        .order_by("pk")
    )
    batch = []
    for person in people.iterator(chunk_size=BATCH):
        batch.append(person)
        if len(batch) == BATCH:
            name_index_insert(batch)
            batch = []
    name_index_insert(batch)


class Migration(migrations.Migration):
    dependencies = [("people", "0006_person_postal_address")]

    operations = [
        migrations.CreateModel(
            name="NameToken",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "digest",
                        "person",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("digest", models.BigIntegerField()),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
        ),
        # Reversed, the table is dropped with its rows.
        migrations.RunPython(index_names, migrations.RunPython.noop, elidable=True),
    ]
