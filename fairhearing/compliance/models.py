"""Sanction compliance (issue 23, item 5; R-28): what a sanction asks of the person sanctioned,
each with a date, followed up like a time limit.

A `Condition` is set when a decision's sanction takes effect: the rulebook's conditions for
that sanction (a course, an apology), and the end of a suspension or of a re-admission bar
(R-28: every one has an end). The case team may add others. A condition is complied with
(recorded with what shows it, and a file if there is one), not complied with (with reasons),
or withdrawn when the sanction is set aside or varied; an end is reached on its date, when
membership systems are told by webhook.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from fairhearing.organisations.rulebook import CONDITION_KINDS


class Condition(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", CONDITION_KINDS["course"]
        APOLOGY = "apology", CONDITION_KINDS["apology"]
        OTHER = "other", CONDITION_KINDS["other"]
        # A suspension's or re-admission bar's end: a date reached, not something done.
        SANCTION_END = "sanction_end", "Sanction ends"

    class Status(models.TextChoices):
        OPEN = "open", "Due"
        COMPLIED = "complied", "Complied with"
        NOT_COMPLIED = "not_complied", "Not complied with"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ENDED = "ended", "Ended"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="conditions")
    # The decision whose sanction set it (none: added by the case team afterwards).
    imposed_by = models.ForeignKey(
        "cases.StageChange", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The sanction it belongs to (the rulebook's key), as decided.
    sanction = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The day the person sanctioned was reminded (once), and the day the case team was told
    # it was overdue (once).
    reminded_on = models.DateField(null=True, blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What shows it was complied with, why it was not, or why it was withdrawn.
    finish_note = models.TextField(blank=True)
    # A file that shows it (a certificate, the apology sent), stored as evidence is.
    proof = models.ForeignKey(
        "evidence.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proof_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # The daily sweep's reminders, overdue conditions and ends reached.
            models.Index(fields=["status", "due_on"], name="condition_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(finished_at__isnull=False),
                name="condition_finished_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.due_on:%d %B %Y}"

    @property
    def is_end(self) -> bool:
        return self.kind == self.Kind.SANCTION_END

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def overdue_on(self, today: dt.date) -> bool:
        """Past its date and still not recorded (an end is never overdue: it just happens)."""
        return self.is_open and not self.is_end and self.due_on < today
