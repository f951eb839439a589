"""The interference register (R-30, R-31) and the case-file view log (R-63)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fairhearing.core.crypto import EncryptedCharField


class AccessAttempt(models.Model):
    """A refused attempt to reach a case, a list of cases or a page outside one's role: who,
    which case, what, when, from where."""

    class Action(models.TextChoices):
        VIEW = "view", "Open a case"
        ACT = "act", "Act on a case"
        SEARCH = "search", "Search or filter cases"
        PAGE = "page", "Open a page outside their role"
        API = "api", "Call the API outside their role"
        PORTAL = "portal", "Open a case in the parties' portal without its link"

    at = models.DateTimeField(default=timezone.now)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    role = models.CharField(max_length=20, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True)
    reference = models.CharField(
        max_length=64, blank=True, help_text="The reference that was asked for"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    path = models.CharField(max_length=500, help_text="The address, without its query")
    # The search or filters asked for, if any: encrypted, since it may name a person.
    asked = EncryptedCharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["at"], name="access_attempt_at"),
            models.Index(fields=["organisation", "at"], name="access_attempt_org_at"),
        ]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"refused {self.action} on {self.reference}"


class CaseView(models.Model):
    """Every opening of a case file by anyone (R-63)."""

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="views")
    path = models.CharField(max_length=500)

    class Meta:
        indexes = [models.Index(fields=["case", "at"], name="case_view_case_at")]

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.case_id}"


class Approach(models.Model):
    """An approach about a case from outside its team, recorded by the member of staff
    approached (R-31): who approached, how, what was asked, what was answered."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        MESSAGE = "message", "Message or social media"
        OTHER = "other", "Other"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="approaches")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)
    approached_on = models.DateField()
    approached_by = models.CharField(max_length=200, help_text="Name, and office held if any")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    asked = models.TextField()
    answered = models.TextField()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"approach about {self.case_id}"


class Verification(models.Model):
    """A panel decision held until oversight verifies or vetoes it (R-32)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting verification"
        VERIFIED = "verified", "Verified"
        VETOED = "vetoed", "Vetoed"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="verifications")
    stage_change = models.OneToOneField("cases.StageChange", on_delete=models.PROTECT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status="pending"), name="one_pending_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.case_id}"
