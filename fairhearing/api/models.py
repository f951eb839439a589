"""API tokens (per user or per integration, scoped, revocable) and idempotency records."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    COMPLAINTS_SUBMIT = "complaints:submit", "Submit complaints"
    CASES_READ = "cases:read", "Read cases"
    CASES_WRITE = "cases:write", "Act on cases"


class ApiToken(models.Model):
    """A bearer token acting as its user, within its scopes. Only a SHA-256 of it is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="Who or what uses it, e.g. an integration")
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it")
    token_sha256 = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotentRequest(models.Model):
    """The first response to a create, replayed for any retry with the same key."""

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_once")
        ]

    def __str__(self) -> str:
        return self.key
