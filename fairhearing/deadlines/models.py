import datetime as dt

from django.db import models
from django.utils import timezone


class Deadline(models.Model):
    """The time limit of one stage of one case, on the organisation's working-day calendar."""

    class Status(models.TextChoices):
        OPEN = "open", "Running"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    class Binds(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        RESPONDENT = "respondent", "Respondent"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    binds = models.CharField(max_length=12, choices=Binds.choices)
    working_days = models.PositiveIntegerField()
    # Stage limits open and close with the case's stages; others (an interim suspension's
    # review) are opened and closed by the service that owns them.
    stage_bound = models.BooleanField(default=True)
    # A limit that binds a respondent who has no email waits (paused) until the letter that
    # tells them is served: it then runs from the date of service (deadlines_start_on_service).
    awaits_service = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reasons = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the due time passed: a breach for an organisation's limit, the end of a window for a
    # respondent's. Set once, by whichever worker gets there first (a conditional UPDATE).
    lapsed_at = models.DateTimeField(null=True, blank=True)
    reminded_percent = models.PositiveSmallIntegerField(default=0)
    next_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Covering on PostgreSQL (ignored elsewhere): the case list's time-limit queues read
            # a window of limits, and each case's next due, from the index alone, without a
            # visit to the table per row (docs/performance.md, "Due this week at a million").
            models.Index(
                fields=["status", "due_at"], name="deadline_status_due", include=["binds", "case"]
            ),
            models.Index(fields=["case", "status", "due_at"], name="deadline_case_status_due"),
            models.Index(fields=["status", "next_reminder_at"], name="deadline_status_reminder"),
            # Time limits met or missed in a period (reporting/queries.py).
            models.Index(fields=["closed_at"], name="deadline_closed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status__in=["open", "paused"]),
                name="deadline_one_running_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} (due {self.due_at:%d %b %Y})"

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.due_at < now

    @property
    def met(self) -> bool | None:
        if self.closed_at is None:
            return None
        return self.closed_at <= self.due_at
