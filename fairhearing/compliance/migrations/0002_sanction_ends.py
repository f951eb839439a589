"""Every suspension and re-admission bar decided before conditions existed gets its end as a
condition, so the sweep tells membership systems of its end as before (the same webhook
key: one already sent is not sent again, and the condition is recorded as ended then). A
sanction set aside on appeal gets none: its end was never to be announced."""

from django.db import migrations
from django.utils import timezone

END_DESCRIPTIONS = {
    "suspension": "The suspension ends",
    "expulsion": "The re-admission bar ends: they may apply to rejoin",
}


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    StageChange = apps.get_model("cases", "StageChange")
    Condition = apps.get_model("compliance", "Condition")
    WebhookEvent = apps.get_model("webhooks", "WebhookEvent")
    cases = (
        Case.objects.exclude(sanction="")
        .filter(sanction_ends_on__isnull=False)
        .exclude(outcome="appeal_allowed")
    )
    for case in cases.iterator():
        if Condition.objects.filter(case=case, kind="sanction_end").exists():
            continue
        change = (
            StageChange.objects.filter(case=case, sanction=case.sanction).order_by("-at").first()
        )
        sent = WebhookEvent.objects.filter(
            dedupe_key=f"{case.pk}:expired:{case.sanction}:{case.sanction_ends_on}"
        ).first()
        Condition.objects.create(
            case=case,
            imposed_by=change,
            sanction=case.sanction,
            kind="sanction_end",
            description=END_DESCRIPTIONS.get(case.sanction, "The sanction ends"),
            due_on=case.sanction_ends_on,
            status="ended" if sent else "open",
            finished_at=sent.created_at if sent else None,
            created_at=change.at if change else timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_initial"),
        ("webhooks", "0002_readmission_bar_ended"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
