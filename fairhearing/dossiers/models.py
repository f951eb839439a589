"""Bulk dossiers: one file of many complaints from one organisation, imported row by row.

The same file uploaded twice is the same dossier (unique by its SHA-256 within the
organisation), and each row is recorded once (unique by number within the dossier), in the
same transaction as the complaint it made: an interrupted import resumes where it stopped.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fairhearing.core.crypto import EncryptedJSONField


class Dossier(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Could not be read"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    source = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, help_text="The organisation that sent it"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200)
    file_format = models.CharField(max_length=5)
    sha256 = models.CharField(max_length=64)
    blob = models.ForeignKey("evidence.Blob", on_delete=models.PROTECT)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When a chunk last committed (or the import started), and the task queued to run it: an
    # import with neither progress nor a live task has stalled (services.dossier_stalled).
    progress_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha256"], name="dossier_once")
        ]

    def __str__(self) -> str:
        return f"Dossier {self.pk} ({self.filename})"

    @property
    def percent(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class DossierRow(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DUPLICATE = "duplicate", "Duplicate"
        REJECTED = "rejected", "Rejected"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="rows")
    number = models.PositiveIntegerField(help_text="Data row number, 1 for the first")
    status = models.CharField(max_length=9, choices=Status.choices)
    reasons = models.JSONField(default=list, blank=True)
    # The row as read: names and free text, so encrypted like the records it becomes.
    data = EncryptedJSONField(default=dict, blank=True, help_text="The row as read")
    complaint = models.ForeignKey(
        "cases.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_rows",
    )
    duplicate_of = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="dossier_row_once")
        ]
        ordering = ["dossier", "number"]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.number}"
