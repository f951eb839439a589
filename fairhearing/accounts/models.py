import time
from base64 import b32encode
from binascii import unhexlify
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import hex_validator, random_hex

from fairhearing.core.crypto import EncryptedCharField


class Role(models.TextChoices):
    CASE_OFFICER = "case_officer", "Case officer"
    INVESTIGATOR = "investigator", "Investigator"
    PANEL_MEMBER = "panel_member", "Panel member"
    OVERSIGHT = "oversight", "Oversight"
    GOVERNING_BODY = "governing_body", "Governing body"
    ADMINISTRATOR = "administrator", "Administrator"


CASEWORK_ROLES = frozenset({Role.CASE_OFFICER, Role.INVESTIGATOR})


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp is untyped
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


def totp_key_default() -> str:
    return str(random_hex(20))


def totp_key_validator(value: str) -> None:
    hex_validator()(value)


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """A user's authenticator app (RFC 6238 TOTP): django-otp's TOTP device with its secret
    encrypted at rest (`core/crypto.py`), so that a stolen database dump gives no one codes.

    The same fields and the same check as `django_otp.plugins.otp_totp.TOTPDevice`: 30-second
    steps, `tolerance` steps either side, `drift` learnt from the app, and `last_t`, so that a
    code is accepted once. The key is hex, as there; encrypted, it is found by the user, never
    by its value.
    """

    key = EncryptedCharField(
        max_length=80,
        validators=[totp_key_validator],
        default=totp_key_default,
        help_text="A hex-encoded secret key of up to 40 bytes (stored encrypted).",
    )
    # Annotated: django-otp has no type information, so the model's base is unknown to mypy.
    step: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(
        default=30
    )
    t0: "models.BigIntegerField[int, int]" = models.BigIntegerField(default=0)
    digits: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(
        choices=[(6, 6), (8, 8)], default=6
    )
    tolerance: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(
        default=1
    )
    drift: "models.SmallIntegerField[int, int]" = models.SmallIntegerField(default=0)
    last_t: "models.BigIntegerField[int, int]" = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = "authenticator app"

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    def verify_token(self, token: object) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            value = int(str(token))
        except ValueError:
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            # Only a step after the last accepted one: a code works once.
            verified = totp.verify(value, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                if getattr(settings, "OTP_TOTP_SYNC", True):
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))

    @property
    def config_url(self) -> str:
        """The `otpauth://` URI an authenticator app reads (the key-URI format)."""
        label = str(self.user.get_username())
        params = urlencode(
            {
                "secret": b32encode(self.bin_key),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
            }
        )
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "") or "").replace(":", "")
        if issuer:
            label = f"{issuer}:{label}"
            params += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{params}"


class ProviderIdentity(Device):
    """A staff account's user at the organisation's OpenID Connect provider (docs/sso.md):
    the provider's issuer and subject (`iss`, `sub`), linked at the first single sign-on.

    It is also the django-otp device that stands for the provider's own second factor: when
    the provider asserts one (`amr`, `acr`), the session is marked verified with this device,
    as it is with the authenticator app after a code. It never accepts a code itself."""

    issuer: "models.CharField[str, str]" = models.CharField(max_length=255)
    subject: "models.CharField[str, str]" = models.CharField(max_length=255)
    linked_at: "models.DateTimeField[Any, Any]" = models.DateTimeField()

    class Meta(Device.Meta):
        verbose_name = "identity provider account"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="provider_identity_unique"),
            # One account at a provider per staff account: a second subject with the same
            # email is someone else (or a reassigned address), never linked by itself.
            models.UniqueConstraint(
                fields=["user", "issuer"], name="provider_identity_one_per_user"
            ),
        ]

    def verify_token(self, token: object) -> bool:
        return False
