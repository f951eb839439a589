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
