import datetime as dt

from django.conf import settings
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


class ClockStop(models.Model):
    """A request to stop a time limit's clock, and the stop once it takes effect (R-56).

    Asked for with reasons and a restart date; where the rulebook says so it waits, with the
    clock running, for someone other than who asked to approve or decline it. Once stopped,
    the clock restarts by itself on the restart date (or earlier, by staff), and a stop longer
    than the rulebook allows before escalation is escalated once. The deadline's own status
    says whether its clock runs; this row says why it stopped, who allowed it and for how long.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting approval"
        DECLINED = "declined", "Declined"
        STOPPED = "stopped", "Clock stopped"
        ENDED = "ended", "Clock restarted"
        # Still awaiting a decision when its time limit ended (the stage moved on).
        LAPSED = "lapsed", "Not decided before the time limit ended"

    class Ending(models.TextChoices):
        STAFF = "staff", "Restarted by staff"
        DATE = "date", "Restarted on its date"
        CLOSED = "closed", "Ended with the time limit"

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="clock_stops")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="clock_stops")
    status = models.CharField(max_length=10, choices=Status.choices)
    reasons = models.TextField()
    restart_on = models.DateField()
    # The start of the restart date on the organisation's calendar: when the sweep restarts it.
    restarts_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # The approval or refusal (blank where the rulebook asks for none).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # When the sweep escalates it if it is still stopped (the rulebook's escalate_after_days).
    escalates_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ending = models.CharField(max_length=8, choices=Ending.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["status", "restarts_at"], name="clockstop_status_restart"),
            models.Index(fields=["status", "escalates_at"], name="clockstop_status_escalate"),
            # Clocks stopped in a period (reporting/queries.py).
            models.Index(fields=["started_at"], name="clockstop_started"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"],
                condition=models.Q(status__in=["requested", "stopped"]),
                name="clockstop_one_live_per_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="stopped") | models.Q(started_at__isnull=False),
                name="clockstop_stopped_has_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Clock stop until {self.restart_on:%d %b %Y} ({self.get_status_display()})"

    @property
    def awaiting(self) -> bool:
        return self.status == self.Status.REQUESTED

    def days_stopped(self, until: dt.datetime | None = None) -> float:
        """Calendar days the clock has been stopped, to its restart or to `until` (now)."""
        if self.started_at is None:
            return 0.0
        end = self.ended_at or until or timezone.now()
        if until is not None:
            end = min(end, until)
        return max(0.0, (end - self.started_at).total_seconds() / 86400)
