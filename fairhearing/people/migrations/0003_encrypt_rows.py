"""Encrypt every existing person's name, email and membership number, and hash them for lookup.

A migration of its own: on PostgreSQL the new constraint (0004) is added after the rows'
updates have committed.
"""

from django.db import migrations

import fairhearing.core.crypto


class Migration(migrations.Migration):
    dependencies = [("people", "0002_encrypt_fields")]

    operations = [
        fairhearing.core.crypto.encrypt_migration(
            "people_person",
            ["full_name", "email", "membership_number"],
            hashes={
                "full_name": ("full_name_hash", "people.Person.full_name"),
                "email": ("email_hash", "people.Person.email"),
                "membership_number": ("membership_number_hash", "people.Person.membership_number"),
            },
        ),
    ]
