from django.db import models
from django.utils import timezone


class Person(models.Model):
    """Anyone a case is about or from: a member, a member of the public or an organisation."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        ORGANISATION = "organisation", "Organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="people"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    is_member = models.BooleanField(default=False)
    membership_number = models.CharField(max_length=40, blank=True)
    branch = models.ForeignKey(
        "organisations.Branch", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "membership_number"],
                condition=~models.Q(membership_number=""),
                name="person_unique_membership_number",
            )
        ]
        indexes = [models.Index(fields=["organisation", "full_name"])]

    def __str__(self) -> str:
        return self.full_name
