"""Retention (R-61) and subject access (R-62).

- `LegalHold`: keeps a closed case from being anonymised while a claim, inquiry or appeal
  elsewhere may need it. Placed, reviewed (by `review_on`) and lifted with reasons; when the
  review date comes, the case officers are told once and the hold shows as due.
- `Anonymisation`: the record that a case was anonymised (one per case), so the retention run
  never repeats one; the ledger holds the same fact.
- `SubjectAccessRequest`: a person's request for everything held about them, due one calendar
  month after it was received, with reminders and a breach like other time limits.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class LegalHold(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_holds")
    reasons = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    review_on = models.DateField(help_text="When the hold must next be looked at")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_reasons = models.TextField(blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reasons = models.TextField(blank=True)
    # The review date the team was last told had come (once per date: `legal_hold_reviews_due`).
    review_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(lifted_at__isnull=True),
                name="legal_hold_one_active_per_case",
            ),
            models.CheckConstraint(condition=~models.Q(reasons=""), name="legal_hold_has_reasons"),
        ]
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"Legal hold on case {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    @property
    def review_due(self) -> bool:
        return self.lifted_at is None and self.review_on <= timezone.localdate()


class Anonymisation(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="anonymisation"
    )
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retention_years = models.PositiveSmallIntegerField()
    counts = models.JSONField(default=dict, help_text="What was removed, by kind (numbers only)")

    def __str__(self) -> str:
        return f"Anonymisation of case {self.case_id}"


class SubjectAccessRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="One calendar month after receipt (end of that day)")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reminded_percent = models.PositiveSmallIntegerField(default=0)
    breached_at = models.DateTimeField(null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "status", "due_at"], name="sar_open_due")]
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()
