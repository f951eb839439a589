"""Signing in. Throttling: after repeated failures (a wrong password or a wrong code) an
account (or an address) is locked out for a while. Failures are counted in the database, so
every web process sees the same count. The second factor: enrolment, recovery codes, codes."""

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from fairhearing.core.errors import CaseError
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .models import AuthenticatorApp, ProviderIdentity, Role, SignInFailure, User

WINDOW = dt.timedelta(minutes=15)
MAX_PER_USERNAME = 5
MAX_PER_ADDRESS = 20
LOCKED_OUT = "Too many failed attempts. Wait 15 minutes, then try again."


def sign_in_locked(
    *, username: str, ip_address: str | None, now: dt.datetime | None = None
) -> bool:
    since = (now or timezone.now()) - WINDOW
    recent = SignInFailure.objects.filter(at__gte=since)
    if recent.filter(username__iexact=username).count() >= MAX_PER_USERNAME:
        return True
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= MAX_PER_ADDRESS


def sign_in_failure_record(*, username: str, ip_address: str | None) -> SignInFailure:
    return SignInFailure.objects.create(
        username=username[:150], ip_address=ip_address or None, at=timezone.now()
    )


# --- the second factor -------------------------------------------------------------------
# A TOTP device (an authenticator app) and ten one-time recovery codes (a django-otp static
# device). A wrong code counts as a failed sign-in: the same lock-out covers both steps.

TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
PROVIDER_DEVICE_NAME = "Identity provider"
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: easy to read back from paper.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
WRONG_CODE = "Enter a correct code from your authenticator app, or one of your recovery codes."
WRONG_SETUP_CODE = "Enter the 6-digit code your authenticator app shows now."


class SecondFactorError(Exception):
    pass


def code_normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def totp_enrolment_start(*, actor: User) -> AuthenticatorApp:
    """The user's device being set up: the same secret until it is confirmed. Recorded when
    the device is made (the page shows the same one again on every visit until then)."""
    if totp_device_confirmed(actor) is not None:
        raise SecondFactorError("You have already set up an authenticator app.")
    device = AuthenticatorApp.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = AuthenticatorApp.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
        event_append(
            actor=actor,
            kind=EventKind.SECOND_FACTOR_ENROLMENT_STARTED,
            payload={"user": actor.pk, "device": device.pk},
        )
    return device


def totp_device_confirmed(user: User) -> AuthenticatorApp | None:
    return AuthenticatorApp.objects.filter(user=user, confirmed=True).first()


def totp_enrolment_confirm(
    *, actor: User, code: str, ip_address: str | None
) -> tuple[AuthenticatorApp, list[str]]:
    """Confirm the app with a code it shows; returns the device and fresh recovery codes (the
    only time they are shown)."""
    _refuse_if_locked(actor, ip_address)
    with transaction.atomic():
        device = (
            AuthenticatorApp.objects.select_for_update()
            .filter(user=actor, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is not None and device.verify_token(code_normalise(code)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            AuthenticatorApp.objects.filter(user=actor).exclude(pk=device.pk).delete()
            event_append(
                actor=actor,
                kind=EventKind.SECOND_FACTOR_ENROLLED,
                payload={"user": actor.pk, "device": device.pk},
            )
            return device, recovery_codes_issue(actor=actor)
    _failure(actor, ip_address)
    raise SecondFactorError(WRONG_SETUP_CODE)


@transaction.atomic
def recovery_codes_issue(*, actor: User) -> list[str]:
    """Ten new one-time codes; any earlier ones stop working."""
    StaticDevice.objects.filter(user=actor).delete()
    device = StaticDevice.objects.create(user=actor, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    # The codes themselves never reach the ledger: only that a set was issued, and how many.
    event_append(
        actor=actor,
        kind=EventKind.RECOVERY_CODES_ISSUED,
        payload={"user": actor.pk, "device": device.pk, "codes": len(codes)},
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def second_factor_verify(*, actor: User, code: str, ip_address: str | None) -> Device:
    """The device that accepts `code` (a TOTP code, or a recovery code, which is used up).
    A wrong code is recorded as a failed sign-in; too many lock the account out. A recovery
    code used up is on the ledger (it is a credential spent, and a sign that the app was lost);
    an app's code is a sign-in step like the password, and is not."""
    _refuse_if_locked(actor, ip_address)
    code = code_normalise(code)
    device: Device | None = None
    if code:
        models: tuple[type[Device], ...] = (
            (AuthenticatorApp,) if code.isdigit() and len(code) == 6 else (StaticDevice,)
        )
        with transaction.atomic():
            for model in models:
                for candidate in model.objects.filter(
                    user=actor, confirmed=True
                ).select_for_update():
                    if candidate.verify_token(code):
                        device = candidate
                        break
            if isinstance(device, StaticDevice):
                event_append(
                    actor=actor,
                    kind=EventKind.RECOVERY_CODE_USED,
                    payload={
                        "user": actor.pk,
                        "device": device.pk,
                        "left": device.token_set.count(),
                    },
                )
    if device is None:
        _failure(actor, ip_address)
        raise SecondFactorError(WRONG_CODE)
    return device


def _refuse_if_locked(user: User, ip_address: str | None) -> None:
    if sign_in_locked(username=user.username, ip_address=ip_address):
        raise SecondFactorError(LOCKED_OUT)


def _failure(user: User, ip_address: str | None) -> None:
    sign_in_failure_record(username=user.username, ip_address=ip_address)


@transaction.atomic
def second_factor_reset(*, actor: User | None, user: User) -> None:
    """Forget the user's app and recovery codes (a lost phone): they set up a new app at their
    next sign-in."""
    apps = AuthenticatorApp.objects.filter(user=user).count()
    code_sets = StaticDevice.objects.filter(user=user).count()
    AuthenticatorApp.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    event_append(
        actor=actor,
        kind=EventKind.SECOND_FACTOR_RESET,
        payload={"user": user.pk, "apps": apps, "recovery_code_sets": code_sets},
    )


def totp_code_now(device: AuthenticatorApp) -> str:
    """The code the device's app shows now (the demo's `fairhearing otp code`, and tests)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


@transaction.atomic
def staff_account_create(
    *,
    actor: User | None,
    organisation: Any,
    username: str,
    role: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
) -> User:
    """A staff account (setting up, or a new member of staff), its password checked by the
    site's validators; the second factor is set up at the first sign-in."""
    if role not in Role.values:
        raise CaseError(f"Unknown role: choose one of {', '.join(Role.values)}.")
    user = User(
        username=username.strip(),
        email=email.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        organisation=organisation,
    )
    try:
        user.full_clean(exclude=["password"])
        password_validation.validate_password(password, user)
    except ValidationError as invalid:
        raise CaseError(" ".join(invalid.messages)) from invalid
    user.set_password(password)
    user.save()
    event_append(
        actor=actor,
        kind=EventKind.STAFF_ACCOUNT_CREATED,
        payload={"user": user.pk, "role": role, "organisation": organisation.pk},
    )
    return user


# --- single sign-on (accounts.sso, docs/sso.md) -------------------------------------------


LINKED_BY_EMAIL = "verified_email"
LINKED_BY_ADMINISTRATOR = "administrator"


@transaction.atomic
def provider_identity_link(
    *, user: User, issuer: str, subject: str, how: str = LINKED_BY_EMAIL
) -> ProviderIdentity:
    """Link a staff account to its user at the identity provider: at their first single
    sign-on, matched by a verified email address (the user is the actor), or by an
    administrator (`fairhearing sso link`, no actor). Later sign-ins find the account by the
    subject, which the ledger records by its hash."""
    identity = ProviderIdentity.objects.create(
        user=user,
        name=PROVIDER_DEVICE_NAME,
        confirmed=True,
        issuer=issuer,
        subject=subject,
        linked_at=timezone.now(),
    )
    event_append(
        actor=user if how == LINKED_BY_EMAIL else None,
        kind=EventKind.SSO_ACCOUNT_LINKED,
        payload={
            "user": user.pk,
            "identity": identity.pk,
            "issuer": issuer,
            "subject_sha256": content_hash(subject),
            "how": how,
        },
    )
    return identity


@transaction.atomic
def provider_identity_unlink(*, user: User, issuer: str) -> int:
    """Forget the link between a staff account and its user at the provider (their account
    there was replaced): at their next single sign-on it is matched by email again. Returns
    how many links were forgotten (0 or 1)."""
    identities = list(ProviderIdentity.objects.filter(user=user, issuer=issuer))
    for identity in identities:
        event_append(
            actor=None,
            kind=EventKind.SSO_ACCOUNT_UNLINKED,
            payload={"user": user.pk, "identity": identity.pk, "issuer": issuer},
        )
        identity.delete()
    return len(identities)


@transaction.atomic
def sso_sign_in_record(
    *, user: User, identity: ProviderIdentity, second_factor: str, amr: list[str], acr: str
) -> None:
    """A single sign-on, and how the second factor is met: by the provider (`provider_amr`,
    `provider_acr`) or `asked` (our own second step follows)."""
    event_append(
        actor=user,
        kind=EventKind.SSO_SIGNED_IN,
        payload={
            "user": user.pk,
            "identity": identity.pk,
            "second_factor": second_factor,
            "amr": amr[:10],
            "acr": acr[:100],
        },
    )


@transaction.atomic
def sso_refusal_record(
    *, reason: str, user: User | None = None, email: str = "", subject: str = ""
) -> None:
    """A single sign-on refused, and why (`accounts.sso.REFUSALS`). Who asked is known only
    by the hashes of the email address and subject the provider gave, if it gave them."""
    payload: dict[str, object] = {"reason": reason, "issuer": settings.OIDC_ISSUER}
    if user is not None:
        payload["user"] = user.pk
    if email:
        payload["email_sha256"] = content_hash(email.lower())
    if subject:
        payload["subject_sha256"] = content_hash(subject)
    event_append(actor=None, kind=EventKind.SSO_SIGN_IN_REFUSED, payload=payload)
