"""Declared interests, recusals and bias challenges (R-25)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Declaration(models.Model):
    """Something a member of staff or panel member is close to.

    A declaration touching a party to a case (the same person, the same branch, or an
    organisation or group that is a party) keeps its declarer off that case.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "A named person"
        BRANCH = "branch", "A branch"
        ORGANISATION = "organisation", "An organisation"
        GROUP = "group", "A group or faction"
        OTHER = "other", "Something else"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True)
    branch = models.ForeignKey(
        "organisations.Branch", on_delete=models.PROTECT, null=True, blank=True
    )
    text = models.CharField(max_length=300, blank=True, help_text="Name or description")
    declared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "withdrawn_at"], name="declaration_user_active")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(kind="person") & models.Q(person__isnull=False))
                    | (models.Q(kind="branch") & models.Q(branch__isnull=False))
                    | (models.Q(kind__in=["organisation", "group", "other"]) & ~models.Q(text=""))
                ),
                name="declaration_names_what_it_declares",
            )
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        if self.kind == self.Kind.PERSON and self.person:
            return f"{self.get_kind_display()}: {self.person.full_name}"
        if self.kind == self.Kind.BRANCH and self.branch:
            return f"{self.get_kind_display()}: {self.branch.name}"
        return f"{self.get_kind_display()}: {self.text}"


class Recusal(models.Model):
    """A member of a case team or panel stepping aside, with reasons."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    reasons = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="recusal_once_per_case"),
            models.CheckConstraint(condition=~models.Q(reasons=""), name="recusal_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} recused from {self.case_id}"


class BiasChallenge(models.Model):
    """A party's challenge to a member for bias, decided by someone else, with reasons."""

    class Decision(models.TextChoices):
        PENDING = "", "Not yet decided"
        UPHELD = "upheld", "Upheld: the member steps aside"
        DISMISSED = "dismissed", "Dismissed: the member stays"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="challenges")
    challenged = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_faced"
    )
    raised_by = models.ForeignKey("people.Person", on_delete=models.PROTECT)
    # None when the party raised it themselves, in their portal.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges_recorded",
    )
    raised_at = models.DateTimeField(default=timezone.now)
    grounds = models.TextField()
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("challenged")),
                name="challenge_not_decided_by_the_challenged",
            )
        ]

    def __str__(self) -> str:
        return f"challenge to {self.challenged_id} on {self.case_id}"
