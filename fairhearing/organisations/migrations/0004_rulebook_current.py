"""Each organisation names its current rulebook (the latest published version)."""

import django.db.models.deletion
from django.db import migrations, models


def point_at_latest(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    Rulebook = apps.get_model("organisations", "Rulebook")
    for organisation in Organisation.objects.all():
        latest = (
            Rulebook.objects.filter(organisation=organisation)
            .order_by("-version")
            .values_list("pk", flat=True)
            .first()
        )
        Organisation.objects.filter(pk=organisation.pk).update(rulebook_current=latest)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_reference_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="rulebook_current",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.rulebook",
            ),
        ),
        migrations.RunPython(point_at_latest, migrations.RunPython.noop),
    ]
