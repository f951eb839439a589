from django.conf import settings
from django.db import models
from django.utils import timezone


class StatisticsReport(models.Model):
    """A published statistics report for a period: the suppressed tables, frozen, with the
    signed ledger head it was made against (R-50, R-51, R-53)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    period = models.CharField(max_length=20, help_text="e.g. 2026-Q3")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="exclusive")
    published_at = models.DateTimeField(default=timezone.now)
    content = models.JSONField(help_text="the published (suppressed) figures")
    tree_size = models.BigIntegerField()
    root_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period"], name="report_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"Statistics {self.period}"


class Meeting(models.Model):
    """A meeting of the governing body; its pack is made a set number of days before."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    pack_days_before = models.PositiveSmallIntegerField(default=7)

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class MeetingPack(models.Model):
    """What the governing body sees of casework: counts and anonymised references, never names
    (R-41)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="pack")
    generated_at = models.DateTimeField(default=timezone.now)
    content = models.JSONField()

    def __str__(self) -> str:
        return f"Pack for {self.meeting}"


class Review(models.Model):
    """An external or internal review whose recommendations are tracked in public (R-52)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    title = models.CharField(max_length=300)
    published_on = models.DateField()

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        IMPLEMENTED = "implemented", "Implemented"
        NOT_ACCEPTED = "not_accepted", "Not accepted, with reasons"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    number = models.CharField(max_length=20)
    text = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    evidence = models.TextField(blank=True, help_text="Evidence of implementation")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="recommendation_unique_number"
            )
        ]
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return f"{self.number}: {self.text[:40]}"


class RecommendationUpdate(models.Model):
    """The history of a recommendation's status and evidence."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="updates"
    )
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(max_length=20, choices=Recommendation.Status.choices)
    evidence = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.status}"
