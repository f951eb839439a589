from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0003_encrypt_rows")]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["organisation", "full_name_hash"], name="person_name_hash"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["organisation", "email_hash"], name="person_email_hash"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("membership_number_hash", ""), _negated=True),
                fields=("organisation", "membership_number_hash"),
                name="person_unique_membership_hash",
            ),
        ),
    ]
