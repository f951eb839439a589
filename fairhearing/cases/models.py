"""Complaints (what arrived) and cases (the matter about one respondent).

The current state lives here for speed; the ledger holds how it got there.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from fairhearing.core.crypto import EncryptedTextField

if TYPE_CHECKING:
    from fairhearing.ledger.models import Event
    from fairhearing.organisations.rulebook import RulebookSpec


class Channel(models.TextChoices):
    WEB = "web", "Online form"
    EMAIL = "email", "Email"
    POST = "post", "Post"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    DOSSIER = "dossier", "Bulk dossier"


class AllegationType(models.TextChoices):
    POST = "post", "A post or publication"
    LIKE = "like", "Liking someone else's content"
    SHARE = "share", "Sharing or re-posting someone else's content"
    COMMENT = "comment", "A comment or reply"
    FOLLOW = "follow", "Following an account"
    MESSAGE = "message", "A private message"
    IN_PERSON = "in_person", "Conduct in person"
    OTHER = "other", "Something else"


# The acts online an allegation may be about, in a word: "liked" a post, as alleged.
ACTS: dict[str, str] = {
    AllegationType.POST: "posted",
    AllegationType.SHARE: "shared",
    AllegationType.COMMENT: "replied",
    AllegationType.LIKE: "liked",
    AllegationType.FOLLOW: "followed",
}


class Complaint(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    reference = models.CharField(max_length=32, unique=True)
    received_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    complainant = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="complaints_made"
    )
    summary = EncryptedTextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )

    # Not a field: the ledger event that recorded it, on the instance that recording returned
    # (the acknowledgement quotes it without searching the ledger's payloads for it).
    received_event: "Event | None" = None

    def __str__(self) -> str:
        return self.reference


class Case(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT)
    reference = models.CharField(max_length=32, unique=True)
    rulebook = models.ForeignKey("organisations.Rulebook", on_delete=models.PROTECT)
    respondent = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases_as_respondent"
    )
    complaints = models.ManyToManyField(Complaint, related_name="cases")
    category = models.CharField(max_length=40, help_text="Category as the complainant perceives it")
    stage = models.CharField(max_length=40)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    sanction = models.CharField(max_length=40, blank=True)
    sanction_ends_on = models.DateField(null=True, blank=True)
    hearing_at = models.DateTimeField(null=True, blank=True)
    hearing_notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "stage", "opened_at"], name="case_org_stage"),
            models.Index(
                fields=["organisation", "category", "opened_at"], name="case_org_category_opened"
            ),
            models.Index(fields=["organisation", "opened_at"], name="case_org_opened"),
            # The statistics' "closed in the period" (reporting/queries.py).
            models.Index(fields=["organisation", "closed_at"], name="case_org_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage="closed") | ~models.Q(outcome=""),
                name="case_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def spec(self) -> "RulebookSpec":
        return self.rulebook.spec

    @property
    def stage_label(self) -> str:
        return self.rulebook.spec.stage_label(self.stage)


class Allegation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allegations")
    allegation_type = models.CharField(max_length=12, choices=AllegationType.choices)
    category = models.CharField(max_length=40)
    conduct_rule_refs = models.JSONField(default=list, blank=True)
    conduct_date = models.DateField(null=True, blank=True)
    description = EncryptedTextField()
    url = models.URLField(blank=True, max_length=500)
    # Online, who did it: the account (a handle, without its "@") that posted, shared,
    # replied, liked or followed. The act is `allegation_type`; the post acted on is `url`.
    acting_account = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.get_allegation_type_display()} ({self.category})"

    @property
    def act(self) -> str:
        """What the account did, in a word ("liked"), for the acts online; "" for the rest."""
        return ACTS.get(self.allegation_type, "")


class Party(models.Model):
    """Someone with a part in a case other than the respondent (see Case.respondent)."""

    class Role(models.TextChoices):
        COMPLAINANT = "complainant", "Complainant"
        WITNESS = "witness", "Witness"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(max_length=12, choices=Role.choices)
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, null=True, blank=True)
    identity_protected = models.BooleanField(default=False)
    # the respondent is told who complained unless there is a recorded reason not to.
    protection_reason = EncryptedTextField(blank=True)
    # complainants hear from us at least every 3 months while the case is open.
    last_update_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="party_unique_role")
        ]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.case_id}"


class Assignment(models.Model):
    """A member of staff on a case team."""

    class Role(models.TextChoices):
        CASE_OFFICER = "case_officer", "Case officer"
        INVESTIGATOR = "investigator", "Investigator"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Why they joined, and why they left, when someone decided it with reasons (a reassignment
    # when a colleague leaves, say); the ledger's events carry the reasons' hash.
    reasons = models.TextField(blank=True)
    end_reasons = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="assignment_unique_active",
            )
        ]
        indexes = [models.Index(fields=["user", "ended_at"], name="assignment_user_active")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on case {self.case_id}"


class StageChange(models.Model):
    """A decision that moved a case: who, when, why, and under which rule (R-20)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stage_changes")
    transition = models.CharField(max_length=60)
    from_stage = models.CharField(max_length=40)
    to_stage = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(default=timezone.now)
    reasons = models.TextField()
    rule_applied = models.CharField(max_length=200)
    outcome = models.CharField(max_length=40, blank=True)
    sanction = models.CharField(max_length=40, blank=True)
    sanction_ends_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # Appeals lodged in a period, and decisions by panel (reporting/queries.py).
            models.Index(fields=["transition", "at"], name="stage_change_transition_at"),
            # Which cases a panel decided (`decide_...`), read from the index alone: the
            # statistics' "closed by staff" (at 1,000,000 cases, 0.93 s to 0.50 s).
            models.Index(fields=["transition", "case"], name="stage_change_transition_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reasons=""), name="stage_change_has_reasons"
            ),
            models.CheckConstraint(
                condition=~models.Q(rule_applied=""), name="stage_change_has_rule"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transition} on case {self.case_id}"


class ConductLimitException(models.Model):
    """An independent decision, with reasons, to allow charges about conduct older than the
    rulebook's time limit (R-29). Without one, such a case cannot be referred."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="conduct_limit_exception"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reasons = models.TextField()
    rule_applied = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"time-limit exception on {self.case_id}"
