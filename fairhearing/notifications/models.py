"""Every party-facing and staff email, recorded on its case (R-42): queued in the transaction of
the change that causes it, sent by the worker, retried on failure."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fairhearing.core.crypto import (
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedJSONField,
    EncryptedTextField,
)


class Notification(models.Model):
    class Kind(models.TextChoices):
        NOTICE_OF_ALLEGATIONS = "notice_of_allegations", "Notice of allegations"
        HEARING_INVITATION = "hearing_invitation", "Hearing invitation"
        DECISION = "decision", "Decision with reasons"
        APPEAL_OUTCOME = "appeal_outcome", "Appeal outcome"
        CASE_CLOSED = "case_closed", "Case closed, with reasons"
        CHALLENGE_DECIDED = "challenge_decided", "Challenge for bias decided"
        SIGN_IN_LETTER = "sign_in_letter", "Sign-in link to follow the case"
        STAFF_DIGEST = "staff_digest", "Daily digest"
        TRAINING_EXPIRING = "training_expiring", "Training about to expire"
        CONDITION_REMINDER = "condition_reminder", "Reminder of a sanction's condition"
        CONDITION_OVERDUE = "condition_overdue", "Sanction condition overdue"
        SURVEY_INVITATION = "survey_invitation", "Confidence survey invitation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (retrying)"
        GAVE_UP = "gave_up", "Failed (gave up)"
        TO_POST = "to_post", "To print and post"
        POSTED = "posted", "Posted"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        POST = "post", "Letter by post"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="notifications", null=True, blank=True
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # A party without an email gets a letter (channel "post"): staff print it, post it and
    # record the date; it is served on the rulebook's working day after posting.
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_email = EncryptedEmailField(blank=True)
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
    to_address = EncryptedTextField(blank=True, help_text="Where the letter was posted")
    posted_on = models.DateField(null=True, blank=True)
    served_on = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_name}"
