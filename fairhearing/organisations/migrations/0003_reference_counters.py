"""Reference counters move from the organisation's row to a row each (see ReferenceCounter)."""

import django.db.models.deletion
from django.db import migrations, models

COUNTERS = ("next_complaint_number", "next_case_number")


def counters_to_rows(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    ReferenceCounter = apps.get_model("organisations", "ReferenceCounter")
    ReferenceCounter.objects.bulk_create(
        ReferenceCounter(
            organisation_id=organisation.pk, name=name, next=getattr(organisation, name)
        )
        for organisation in Organisation.objects.all()
        for name in COUNTERS
    )


def rows_to_counters(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    ReferenceCounter = apps.get_model("organisations", "ReferenceCounter")
    for counter in ReferenceCounter.objects.filter(name__in=COUNTERS):
        Organisation.objects.filter(pk=counter.organisation_id).update(
            **{counter.name: counter.next}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_reference_prefix_unique"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40)),
                ("next", models.PositiveIntegerField(default=1)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="counters",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "name"), name="reference_counter_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(counters_to_rows, rows_to_counters),
        migrations.RemoveField(model_name="organisation", name="next_case_number"),
        migrations.RemoveField(model_name="organisation", name="next_complaint_number"),
    ]
