from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CASE_OFFICER = "case_officer", "Case officer"
    INVESTIGATOR = "investigator", "Investigator"
    PANEL_MEMBER = "panel_member", "Panel member"
    OVERSIGHT = "oversight", "Oversight"
    GOVERNING_BODY = "governing_body", "Governing body"
    ADMINISTRATOR = "administrator", "Administrator"


CASEWORK_ROLES = frozenset({Role.CASE_OFFICER, Role.INVESTIGATOR})


class User(AbstractUser):
    """A signed-in user. Complainants and respondents are People, not Users."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CASE_OFFICER)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True
    )
    # A member of staff or panel member who is also a member belongs to a branch: they are
    # kept off cases whose parties belong to it.
    branch = models.ForeignKey(
        "organisations.Branch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class SignInFailure(models.Model):
    """A failed sign-in, kept to throttle guessing (never the password tried)."""

    username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="signin_failure_user"),
            models.Index(fields=["ip_address", "at"], name="signin_failure_ip"),
        ]

    def __str__(self) -> str:
        return f"failed sign-in for {self.username}"
