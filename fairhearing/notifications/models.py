"""Every party-facing and staff email, recorded on its case (R-42): queued in the transaction of
the change that causes it, sent by the worker, retried on failure."""

from django.db import models
from django.utils import timezone

from fairhearing.core.crypto import EncryptedCharField, EncryptedEmailField, EncryptedJSONField


class Notification(models.Model):
    class Kind(models.TextChoices):
        NOTICE_OF_ALLEGATIONS = "notice_of_allegations", "Notice of allegations"
        HEARING_INVITATION = "hearing_invitation", "Hearing invitation"
        DECISION = "decision", "Decision with reasons"
        APPEAL_OUTCOME = "appeal_outcome", "Appeal outcome"
        CASE_CLOSED = "case_closed", "Case closed, with reasons"
        CHALLENGE_DECIDED = "challenge_decided", "Challenge for bias decided"
        STAFF_DIGEST = "staff_digest", "Daily digest"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (retrying)"
        GAVE_UP = "gave_up", "Failed (gave up)"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="notifications", null=True, blank=True
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    to_email = EncryptedEmailField()
    to_name = EncryptedCharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, blank=True, help_text="respondent, complainant, staff")
    context = EncryptedJSONField(default=dict, help_text="ids and values the template needs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_email}"
