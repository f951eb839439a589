"""Duplicates and links between cases.

`Fingerprint` holds, for each text that can identify a post (an allegation, a captured post,
a complaint grouped into a case), its post key and normalised text; `Band` its MinHash bands.
`Grouping` records a complaint joined to an existing case about the same post. `CaseLink`
records a confirmed link or merge, and its undoing: nothing is ever deleted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fairhearing.core.crypto import EncryptedTextField


class Fingerprint(models.Model):
    class Source(models.TextChoices):
        ALLEGATION = "allegation", "Allegation"
        EVIDENCE = "evidence", "Captured post"
        COMPLAINT = "complaint", "Complaint"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="fingerprints")
    source = models.CharField(max_length=12, choices=Source.choices)
    source_id = models.BigIntegerField()
    post_key = models.CharField(max_length=300, blank=True)
    text = EncryptedTextField(blank=True, help_text="Normalised, for exact Jaccard")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "post_key"],
                name="fingerprint_post_key",
                condition=~models.Q(post_key=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"


class Band(models.Model):
    fingerprint = models.ForeignKey(Fingerprint, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()

    class Meta:
        # Value first: a dossier's chunk looks up many values at once (IN), a single text its
        # sixteen (band, value) pairs; both use this index.
        indexes = [models.Index(fields=["value", "band"], name="band_lookup")]

    def __str__(self) -> str:
        return f"{self.band}:{self.value}"


class Grouping(models.Model):
    """A complaint about a post that already had a case: joined to it, not opened anew."""

    complaint = models.ForeignKey(
        "cases.Complaint", on_delete=models.PROTECT, related_name="groupings"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="groupings")
    reason = models.CharField(max_length=20)  # "same_url" | "same_text"
    score = models.FloatField()
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.complaint_id}->{self.case_id}"


class CaseLink(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", "Linked"
        MERGE = "merge", "Merged"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    # For a merge: `case` is the one kept, `other` the one merged into it.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="links_from")
    other = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="links_to")
    score = models.FloatField(null=True, blank=True)
    reasons = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # What a merge moved (ids), so that undoing it removes exactly that.
    moved = models.JSONField(default=dict, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undo_reasons = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(case=models.F("other")), name="caselink_not_self"
            ),
            # At most one live link between two cases, and a case merged into one case only.
            models.UniqueConstraint(
                fields=["case", "other"],
                condition=models.Q(undone_at__isnull=True),
                name="caselink_one_live",
            ),
            models.UniqueConstraint(
                fields=["other"],
                condition=models.Q(undone_at__isnull=True, kind="merge"),
                name="caselink_merged_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id}~{self.other_id}"
