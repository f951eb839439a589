"""The parties' own view of their case: sign-in links, replies, hearing requests, messages."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from fairhearing.core.crypto import EncryptedCharField, EncryptedTextField


class PartyRole(models.TextChoices):
    RESPONDENT = "respondent", "Respondent"
    COMPLAINANT = "complainant", "Complainant"


def token_hash(token: str) -> str:
    """What is kept of a sign-in link's token (the link itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


class SignInLink(models.Model):
    """A one-time emailed link for a party to one case. Only a hash of the token is kept."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sign_in_links")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT)
    role = models.CharField(max_length=12, choices=PartyRole.choices)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"link for {self.role} on {self.case_id}"


class Reply(models.Model):
    """The respondent's answer to the allegations (R-22)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="replies")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    text = EncryptedTextField()
    within_window = models.BooleanField()
    # The files sent with it, each an evidence item of the case (added in the same transaction).
    evidence = models.ManyToManyField("evidence.EvidenceItem", blank=True, related_name="+")

    def __str__(self) -> str:
        return f"reply on {self.case_id}"


class HearingRequest(models.Model):
    """The respondent asks for an oral hearing and names a companion (R-26)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="hearing_request"
    )
    oral = models.BooleanField(default=True)
    companion_name = EncryptedCharField(max_length=200, blank=True)
    companion_unavailable_on = models.DateField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"hearing request on {self.case_id}"


class Message(models.Model):
    """A message between a party and the case team."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="messages")
    party_person = models.ForeignKey("people.Person", on_delete=models.PROTECT)
    party_role = models.CharField(max_length=12, choices=PartyRole.choices)
    from_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(default=timezone.now)
    body = EncryptedTextField()

    class Meta:
        indexes = [models.Index(fields=["case", "at"], name="message_case_at")]

    def __str__(self) -> str:
        return f"message on {self.case_id}"
