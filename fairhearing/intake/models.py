"""Anonymous reporting: a report reached again only with its one-time receipt code."""

from django.db import models
from django.utils import timezone


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
