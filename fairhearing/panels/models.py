"""The independent panel pool, training, panels drawn for a case, votes, and interim
suspensions (R-24, R-27, R-64)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Qualification(models.TextChoices):
    LAWYER = "lawyer", "Lawyer"
    HR_REGULATORY = "hr_regulatory", "HR or regulatory"
    LAY = "lay", "Lay member"


class Panellist(models.Model):
    """A member of the independent pool."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panellist"
    )
    qualification = models.CharField(max_length=16, choices=Qualification.choices)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_qualification_display()})"


class TrainingRecord(models.Model):
    """Training a handler holds; expired training means not assignable (R-64)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training"
    )
    course = models.CharField(max_length=200)
    completed_on = models.DateField()
    expires_on = models.DateField()
    # When its holder was told it is about to expire (once: notifications.services).
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_on"], name="training_user_expiry")]

    def __str__(self) -> str:
        return f"{self.course} (to {self.expires_on})"


class Panel(models.Model):
    class Kind(models.TextChoices):
        HEARING = "hearing", "Hearing panel"
        APPEAL = "appeal", "Appeal panel"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="panels")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    drawn_at = models.DateTimeField(default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The draw is reproducible: the eligible list (user ids, sorted) and the seed are kept
    # here and on the ledger, so anyone can re-run it.
    seed = models.BigIntegerField()
    eligible = models.JSONField()
    # Who was kept out of the draw and why (separation of functions, conflicts, training):
    # shown on the case page so that the UI explains the rule, not just applies it.
    excluded = models.JSONField(default=dict)
    dissolved_at = models.DateTimeField(null=True, blank=True)
    dissolved_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(dissolved_at__isnull=True),
                name="panel_one_sitting_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case_id}"


class Seat(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seats"
    )
    is_chair = models.BooleanField(default=False)
    # A panel member sees the case only after affirming they have no conflict.
    affirmed_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="seat_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.panel}"


class Vote(models.Model):
    """One member's vote on the panel's decision; a minority vote is a recorded dissent."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="votes")
    seat = models.OneToOneField(Seat, on_delete=models.PROTECT, related_name="vote")
    transition = models.CharField(max_length=60)
    sanction = models.CharField(max_length=40, blank=True)
    sanction_ends_on = models.DateField(null=True, blank=True)
    reasons = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.seat} votes {self.transition}"


class InterimSuspension(models.Model):
    """Never automatic: imposed only by a panel, with reasons, a review date and an end."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="interim_suspensions"
    )
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT)
    imposed_at = models.DateTimeField(default=timezone.now)
    reasons = models.TextField()
    review_deadline = models.ForeignKey(
        "deadlines.Deadline", on_delete=models.PROTECT, null=True, related_name="+"
    )
    ends_on = models.DateField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_reasons = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"interim suspension on {self.case_id}"
