"""The case team's working file (issue 21, item 6): file notes, and the ticks of each stage's
checklist.

Both are append-only. A note is never edited or deleted (a correction is a new note); the one
change it takes is being shared with the parties, a recorded decision made once. A tick or an
untick is a new row; an item's state is its latest row in the case's current visit to the
stage. Retention's anonymisation is the one other writer (it removes the text).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fairhearing.core.crypto import EncryptedTextField


class Audience(models.TextChoices):
    """Whom a note is shared with: the parties who read their case in the portal."""

    RESPONDENT = "respondent", "The respondent"
    COMPLAINANTS = "complainants", "The complainants"
    PARTIES = "parties", "The respondent and the complainants"


# The portal's party roles (portal.models.PartyRole's values) each audience reaches.
AUDIENCE_ROLES: dict[str, frozenset[str]] = {
    Audience.RESPONDENT: frozenset({"respondent"}),
    Audience.COMPLAINANTS: frozenset({"complainant"}),
    Audience.PARTIES: frozenset({"respondent", "complainant"}),
}


class FileNote(models.Model):
    """An internal note on a case: read by the case team and oversight only, until shared."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="file_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = EncryptedTextField()
    disclosed_to = models.CharField(max_length=12, choices=Audience.choices, blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    disclosure_reasons = EncryptedTextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "created_at"], name="file_note_case_created")]
        constraints = [
            # Shared whole or not at all: to whom, when, by whom.
            models.CheckConstraint(
                condition=Q(disclosed_to="", disclosed_at__isnull=True, disclosed_by__isnull=True)
                | (~Q(disclosed_to="") & Q(disclosed_at__isnull=False, disclosed_by__isnull=False)),
                name="file_note_disclosure_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"file note {self.pk} on case {self.case_id}"

    @property
    def is_disclosed(self) -> bool:
        return self.disclosed_at is not None


class ChecklistTick(models.Model):
    """One tick (or untick) of a check on the checklist of the stage the case was at."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="checklist_ticks")
    stage = models.CharField(max_length=40)
    # Which visit to the stage (the case's `stage_entered_at` then): a case sent back to a
    # stage (a vetoed decision returns to the hearing) starts its checklist afresh.
    stage_entered_at = models.DateTimeField()
    key = models.CharField(max_length=60)
    done = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["case", "stage", "stage_entered_at"], name="checklist_tick_visit")
        ]

    def __str__(self) -> str:
        return f"{'tick' if self.done else 'untick'} {self.key} on case {self.case_id}"
