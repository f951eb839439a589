"""Case-file audits (R-52; issue 23, item 3): each quarter oversight draws a reproducible
random sample of the cases closed in it and checks each file against the rulebook's audit
checklist; the results are published as counts."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class AuditRound(models.Model):
    """One quarter's audit: the sample drawn from the cases closed in it, with the seed that
    draws the same sample again (`services.audit_sample`)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    period = models.CharField(max_length=20, help_text="e.g. 2026-Q3")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="exclusive")
    seed = models.CharField(max_length=64)
    sample_size = models.PositiveIntegerField(help_text="as the rulebook asked at the draw")
    population = models.PositiveIntegerField(help_text="cases closed in the quarter")
    # The rulebook's checklist at the draw, [{"key", "label"}, ...]: a later edit of the
    # rulebook changes neither what this round asked nor the labels it is published under.
    checks = models.JSONField()
    drawn_at = models.DateTimeField(default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    # Opened when the first finding is raised as a recommendation, named for the round.
    review = models.ForeignKey("reporting.Review", on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period"], name="audit_round_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"Case-file audit {self.period}"


class AuditedCase(models.Model):
    """One case drawn for a round, and what its audit found."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="audited")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(help_text="order of the draw, from 1")
    answers = models.JSONField(default=dict, help_text='{check key: "yes"|"no"|...}')
    findings = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recommendation = models.OneToOneField(
        "reporting.Recommendation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audited_case",
    )

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "case"], name="audited_case_once"),
            models.UniqueConstraint(fields=["round", "position"], name="audited_case_position"),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.position}"
