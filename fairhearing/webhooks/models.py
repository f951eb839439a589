"""Webhooks to membership systems: sanctions and suspensions, signed, retried, logged."""

import uuid

from django.db import models
from django.utils import timezone


class Endpoint(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200, help_text="Shared secret for the HMAC signature")
    events = models.JSONField(default=list, help_text="Event names; empty means all")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)


class WebhookEvent(models.Model):
    """Something a membership system must hear about; `dedupe_key` makes it happen once."""

    class Name(models.TextChoices):
        SANCTION_IMPOSED = "sanction.imposed"
        SANCTION_VARIED = "sanction.varied"
        SANCTION_LIFTED = "sanction.lifted"
        SANCTION_EXPIRED = "sanction.expired"
        SUSPENSION_STARTED = "suspension.started"
        SUSPENSION_ENDED = "suspension.ended"
        READMISSION_BAR_ENDED = "readmission_bar.ended"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="webhook_events")
    name = models.CharField(max_length=40, choices=Name.choices)
    payload = models.JSONField()
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} for {self.case_id}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (retrying)"
        GAVE_UP = "gave_up", "Failed (gave up)"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint}"
