"""Move every django-otp TOTP device into `AuthenticatorApp`, whose key is encrypted, and
delete the originals, so that no secret stays in clear in `otp_totp_totpdevice`.

Users keep their apps (the same key, drift and last step) and need not set them up again; a
session verified with an old device is asked for a code once more. Reversible.
"""

from typing import Any

from django.db import migrations

FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "last_used_at",
    "key",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
)


def _move(source: Any, target: Any) -> None:
    for device in source.objects.order_by("pk").iterator():
        moved = target.objects.create(**{f: getattr(device, f) for f in FIELDS})
        # created_at is set on creation: keep the original's.
        target.objects.filter(pk=moved.pk).update(created_at=device.created_at)
    source.objects.all().delete()


def forwards(apps: Any, schema_editor: Any) -> None:
    _move(apps.get_model("otp_totp", "TOTPDevice"), apps.get_model("accounts", "AuthenticatorApp"))


def backwards(apps: Any, schema_editor: Any) -> None:
    _move(apps.get_model("accounts", "AuthenticatorApp"), apps.get_model("otp_totp", "TOTPDevice"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_authenticator_app"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
