"""Prepare a fresh database for django-helpdesk's side of benchmarks/intake_load.py.

    DATABASE_URL=postgres://.../peer_x .bench-peer-venv/bin/python benchmarks/peer/setup_intake.py

Migrates, makes one queue and one staff user with an API token (DRF's TokenAuthentication),
and prints {"token": ..., "queue": ...} as JSON for the load generator.
"""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerdesk.settings")


def main() -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from helpdesk.models import Queue
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0)
    queue = Queue.objects.create(title="Complaints", slug="complaints")
    staff = get_user_model().objects.create_user(
        username="bench-staff", email="staff@peer.invalid", is_staff=True
    )
    token = Token.objects.create(user=staff)
    print(json.dumps({"token": token.key, "queue": queue.pk}))


if __name__ == "__main__":
    main()
