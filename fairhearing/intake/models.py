"""Anonymous reporting: a report reached again only with its one-time receipt code."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fairhearing.core.crypto import EncryptedJSONField


class AnonymousReport(models.Model):
    """A complaint made anonymously. The receipt code is never stored: only its locator (to
    find the row) and an Argon2 hash of its secret part (see `receipts.py`)."""

    complaint = models.OneToOneField(
        "cases.Complaint", on_delete=models.PROTECT, related_name="anonymous_report"
    )
    locator = models.CharField(max_length=8, unique=True)  # unique: indexed
    secret_hash = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"anonymous report {self.pk}"


class ReceiptAttempt(models.Model):
    """One try at a receipt code, kept to throttle guessing (never the code tried: only its
    locator, which alone opens nothing)."""

    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    locator = models.CharField(max_length=8)
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["locator", "at"], name="receipt_attempt_locator"),
            models.Index(fields=["ip_address", "at"], name="receipt_attempt_ip"),
        ]

    def __str__(self) -> str:
        return f"receipt attempt at {self.at:%Y-%m-%d %H:%M}"


class Submission(models.Model):
    """A complaint accepted through the API with `Prefer: respond-async`: its reference is
    taken and it is safe in the database when the client is answered; the worker records it
    (`services.submissions_record`) and the row is deleted once the complaint exists and
    its acknowledgement has been sent.

    Only complaints still waiting, refused when recorded, or recorded and owed their
    acknowledgement are here. A recorded one keeps only its reference (its details are
    emptied in the transaction that records them: they live in the complaint's own encrypted
    records, never in two places), so a worker that dies before acknowledging it leaves the
    acknowledgement owed, for the next to send."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        REFUSED = "refused", "Refused"
        RECORDED = "recorded", "Recorded, acknowledgement owed"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reference = models.CharField(max_length=32, unique=True)
    received_at = models.DateTimeField()
    payload = EncryptedJSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    # The worker process that recorded it and is sending its acknowledgement: while that
    # worker lives, nobody else sends it.
    recorded_by_worker = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(status="queued"), name="submission_queued"
            )
        ]

    def __str__(self) -> str:
        return f"submission {self.reference}"
