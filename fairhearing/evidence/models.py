"""Evidence: files and captured social-media posts, immutable once added (R-04, R-05).

A file's bytes live outside the web root under their SHA-256 (`storage.py`); the database keeps
what was added, by whom and when. Rows are never updated: database triggers refuse it
(`triggers.py`). Every custody step (added, viewed, disclosed, exported) is a ledger event.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Blob(models.Model):
    """Stored bytes, named by their SHA-256. Many items may share one blob."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    stored_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.sha256


class Kind(models.TextChoices):
    FILE = "file", "File"
    POST = "post", "Social-media post"


class Source(models.TextChoices):
    STAFF = "staff", "Case team"
    PARTY = "party", "A party, through the portal"
    COMPLAINT = "complaint", "The complainant, with the complaint"
    ANONYMOUS = "anonymous", "Anonymous reporter"
    DOSSIER = "dossier", "Bulk dossier"


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    BLUESKY = "bluesky", "Bluesky"
    THREADS = "threads", "Threads"
    OTHER = "other", "Other"


class EvidenceItem(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="evidence")
    number = models.PositiveIntegerField(help_text="1, 2, 3... within the case: the bundle index")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    description = models.TextField(blank=True)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, null=True, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    # A captured post (kind=post). `post_key` is the URL normalised, for finding the same post.
    url = models.URLField(max_length=500, blank=True)
    post_key = models.CharField(max_length=300, blank=True)
    platform = models.CharField(max_length=12, choices=Platform.choices, blank=True)
    author_handle = models.CharField(max_length=100, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    captured_text = models.TextField(blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    # Provenance.
    source = models.CharField(max_length=10, choices=Source.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    added_by_person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True
    )
    added_at = models.DateTimeField(default=timezone.now)
    # SHA-256 of the item: the file's bytes, or the capture's canonical form (with its
    # screenshot's hash). The bundle prints it; the ledger holds it.
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="evidence_case_number"),
            models.CheckConstraint(
                condition=models.Q(kind="post") | models.Q(blob__isnull=False),
                name="evidence_file_has_blob",
            ),
        ]
        indexes = [
            models.Index(
                fields=["post_key"],
                name="evidence_post_key",
                condition=~models.Q(post_key=""),
            )
        ]
        ordering = ["case", "number"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.number}"


class WebCapture(models.Model):
    """What a capture from a link kept besides the item's screenshot (`EvidenceItem.blob`):
    the rendered HTML, the WARC of the responses, where the link led and what captured it.
    Immutable, like its item (`triggers.py`)."""

    item = models.OneToOneField(
        EvidenceItem, on_delete=models.PROTECT, primary_key=True, related_name="web_capture"
    )
    requested_url = models.URLField(max_length=2000)
    final_url = models.URLField(max_length=2000)
    http_status = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300, blank=True)
    html_blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    warc_blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    browser_version = models.CharField(max_length=60)
    software = models.CharField(max_length=200, help_text="Ours, Playwright's and Chromium's")
    # What was left out (a refused download, an address not reached), one note a line.
    notes = models.TextField(blank=True)
    # A later capture of the same link: the item it captured again (both are kept).
    recapture_of = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="recaptures"
    )

    def __str__(self) -> str:
        return f"capture of {self.item_id}"


class CaptureRequest(models.Model):
    """A capture asked for and its progress in the worker: the one evidence row that changes
    (queued, then captured or failed, and queued again on a retry)."""

    class State(models.TextChoices):
        QUEUED = "queued", "Capturing…"
        CAPTURED = "captured", "Captured"
        FAILED = "failed", "Failed"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="captures")
    url = models.URLField(max_length=2000)
    description = models.TextField(blank=True)
    recapture_of = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Staff, or a complainant from their portal (where the rulebook allows it); a retry is
    # always staff's.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    requested_by_person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=1)
    # Why the last attempt failed, in people's words (capture.py), and its stable code.
    failure = models.TextField(blank=True)
    failure_code = models.CharField(max_length=20, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    item = models.OneToOneField(
        EvidenceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_by__isnull=False)
                | models.Q(requested_by_person__isnull=False),
                name="capture_request_has_requester",
            )
        ]

    def __str__(self) -> str:
        return f"capture request {self.pk}"


class Redaction(models.Model):
    """A decision to withhold part of an item from those it is disclosed to (the respondent,
    a subject access request), with its reasons, and the redacted copy it made
    (`derivative.py`). The item's original is never changed; the panel reads it. Immutable
    (`triggers.py`): a redaction is replaced by a later one for the same item, both kept; the
    latest is the one disclosed."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="redactions")
    # Boxes on pages ({"page", "left", "top", "width", "height"}, fractions of the page) and
    # words or phrases withheld from the item's text, wherever they appear.
    areas = models.JSONField(default=list)
    phrases = models.JSONField(default=list)
    reasons = models.TextField()
    # The redacted copy of the item's file (none for a post captured as text only), and the
    # captured text with the phrases withheld.
    blob = models.ForeignKey(
        Blob, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    captured_text = models.TextField(blank=True)
    # The copy's SHA-256: of its file, or of its text where there is no file.
    sha256 = models.CharField(max_length=64)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"redaction {self.pk} of {self.item_id}"
