"""Independent witnesses of the ledger: each signed tree head is sent to every witness in
settings.LEDGER_WITNESSES (an email address, or a URL that receives it as JSON), so that people
outside the database hold the heads, and a rewrite of the history shows to any of them
(`fairhearing ledger check-proof`)."""

from django.db import models
from django.utils import timezone


class WitnessDelivery(models.Model):
    """One head to one witness: queued by the worker, sent, retried with back-off."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (retrying)"
        GAVE_UP = "gave_up", "Failed (gave up)"

    head = models.ForeignKey(
        "ledger.TreeHead", on_delete=models.PROTECT, related_name="witness_deliveries"
    )
    witness = models.CharField(max_length=500, help_text="An email address or a URL")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["head", "witness"], name="witness_delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="witness_due")]

    def __str__(self) -> str:
        return f"head {self.head_id} to a witness"

    @property
    def by_email(self) -> bool:
        return not self.witness.startswith(("https://", "http://"))
