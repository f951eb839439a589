"""Single sign-on through the organisation's OpenID Connect provider (docs/sso.md).

mozilla-django-oidc does the protocol: the authorisation request (state, nonce, PKCE), the
callback (the state used once), the code exchanged for tokens. `ProviderBackend` adds what
the library leaves to us:

- the ID token checked in full by PyJWT: its signature against the provider's JWKS (RS256 by
  default, never "none" nor a shared secret), and `iss` (the configured issuer), `aud` (our
  client id; `azp` too when it names more than one), `exp`, `iat` (with a minute's leeway),
  as well as the library's `nonce`;
- the provider's user mapped onto an existing staff account (`account_for`): by the linked
  subject (`iss` + `sub`) once linked; at the first sign-in by an email address the provider
  says it has verified (`email_verified` true), matching exactly one account, which is then
  linked. Nobody else gets in: no account, no role, is made from claims;
- the second factor (`second_factor_from`): met by the provider only when its ID token says
  so (`amr`, RFC 8176, or a configured `acr`); otherwise our own second step follows.
"""

from dataclasses import dataclass
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import ProviderIdentity, User
from .services import LINKED_BY_EMAIL, provider_identity_link


class SsoRefused(Exception):
    """A single sign-on refused; `reason` is one of `REFUSALS`' keys."""

    def __init__(self, reason: str, *, email: str = "", subject: str = "", user: Any = None):
        super().__init__(reason)
        self.reason = reason
        self.email = email
        self.subject = subject
        self.user = user


# Why a sign-in was refused: (page heading, what to do), in words for the person signing in.
REFUSALS = {
    "unknown_user": (
        "There is no staff account for you",
        "Your account at {provider} is not linked to a staff account here. Ask an "
        "administrator to add you, with the email address your organisation gave you.",
    ),
    "email_unverified": (
        "Your email address could not be confirmed",
        "{provider} did not say it has checked your email address, so it cannot be matched "
        "to a staff account. Ask an administrator to link your account.",
    ),
    "ambiguous": (
        "Your account could not be matched",
        "More than one staff account has your email address. Ask an administrator to link "
        "your account.",
    ),
    "other_subject": (
        "Your account could not be matched",
        "The staff account with your email address is linked to a different account at "
        "{provider}. Ask an administrator.",
    ),
    "inactive": (
        "Your account is not active",
        "Your staff account has been closed. Ask an administrator if you need it again.",
    ),
    "token": (
        "You could not be signed in",
        "{provider}'s answer could not be checked. Start again; if it keeps happening, tell "
        "an administrator.",
    ),
    "state": (
        "This sign-in has already been used or has expired",
        "Start again from the sign-in page.",
    ),
    "provider": (
        "You could not be signed in",
        "{provider} did not sign you in. Start again from the sign-in page.",
    ),
}
# Refusals about the person's account (403), rather than the exchange itself (400).
ACCOUNT_REFUSALS = frozenset(
    {"unknown_user", "email_unverified", "ambiguous", "other_subject", "inactive"}
)

# RFC 8176 authentication method reference values, by kind of factor. A second factor is met
# by "mfa", or by methods of two different kinds (a password and a one-time code; a hardware
# key and a fingerprint). Two of one kind (a password and a PIN), or presence, location or
# risk signals ("user", "geo", "rba", "mca", "wia"), are not two factors.
KNOWLEDGE = frozenset({"pwd", "pin", "kba"})
POSSESSION = frozenset({"otp", "sms", "tel", "hwk", "swk", "sc", "pop"})
INHERENCE = frozenset({"fpt", "face", "iris", "retina", "vbm"})

BY_AMR = "provider_amr"
BY_ACR = "provider_acr"
ASKED = "asked"


def second_factor_from(claims: dict[str, Any]) -> str | None:
    """How the ID token's claims meet the second factor (`BY_AMR`, `BY_ACR`), or None."""
    amr = claims.get("amr")
    if isinstance(amr, list) and all(isinstance(value, str) for value in amr):
        methods = set(amr)
        if "mfa" in methods:
            return BY_AMR
        if sum(1 for kind in (KNOWLEDGE, POSSESSION, INHERENCE) if kind & methods) >= 2:
            return BY_AMR
    acr = claims.get("acr")
    if isinstance(acr, str) and acr and acr in settings.SSO_TRUSTED_ACR:
        return BY_ACR
    return None


def account_for(
    *, issuer: str, subject: str, email: str, email_verified: object
) -> tuple[User, ProviderIdentity]:
    """The staff account the provider's user is, linking it at the first sign-in."""
    identity = (
        ProviderIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        if not identity.user.is_active:
            raise SsoRefused("inactive", email=email, subject=subject, user=identity.user)
        return identity.user, identity
    if not email:
        raise SsoRefused("unknown_user", subject=subject)
    if email_verified is not True:
        raise SsoRefused("email_unverified", email=email, subject=subject)
    users = list(User.objects.filter(email__iexact=email)[:2])
    if not users:
        raise SsoRefused("unknown_user", email=email, subject=subject)
    if len(users) > 1:
        raise SsoRefused("ambiguous", email=email, subject=subject)
    user = users[0]
    if not user.is_active:
        raise SsoRefused("inactive", email=email, subject=subject, user=user)
    if ProviderIdentity.objects.filter(user=user, issuer=issuer).exists():
        raise SsoRefused("other_subject", email=email, subject=subject, user=user)
    return user, provider_identity_link(
        user=user, issuer=issuer, subject=subject, how=LINKED_BY_EMAIL
    )


@dataclass(frozen=True)
class SignIn:
    """What the callback needs after the backend: the link, and how the second factor is met."""

    identity: ProviderIdentity
    second_factor: str | None
    amr: list[str]
    acr: str


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, checking the whole ID token and never creating users.

    Its `authenticate` takes only the callback's arguments, so a password sign-in never
    reaches it; and it answers nothing while single sign-on is off."""

    def authenticate(
        self, request: Any, nonce: str | None = None, code_verifier: str | None = None
    ) -> User | None:
        if not settings.SSO_ENABLED or request is None:
            return None
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except SuspiciousOperation as exc:
            raise SsoRefused("token") from exc

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        # Before any key is looked for: the configured algorithm (never "none", never a
        # shared secret), and a key id to find the provider's key by.
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise SsoRefused("token") from exc
        if header.get("alg") != settings.OIDC_RP_SIGN_ALGO or not header.get("kid"):
            raise SsoRefused("token")
        claims: dict[str, Any] = super().verify_token(token, **kwargs)
        return claims

    def retrieve_matching_jwk(self, token: str) -> Any:
        try:
            return super().retrieve_matching_jwk(token)
        except (KeyError, ValueError, jwt.PyJWKError) as exc:  # a key set we cannot read
            raise SsoRefused("token") from exc

    def _verify_jws(self, payload: bytes | str, key: Any) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[settings.OIDC_RP_SIGN_ALGO],
                audience=settings.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=settings.SSO_LEEWAY,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SsoRefused("token") from exc
        # OpenID Connect Core 3.1.3.7: with more than one audience, azp must be us.
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SsoRefused("token")
        return claims

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = dict(payload)
        if "email" not in claims and settings.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload["sub"]:  # Core 5.3.2: the same user, or none
                raise SsoRefused("token")
            names = ("email", settings.SSO_EMAIL_VERIFIED_CLAIM)
            claims.update({name: userinfo[name] for name in names if name in userinfo})
        email = claims.get("email")
        user, identity = account_for(
            issuer=str(payload["iss"]),
            subject=str(payload["sub"]),
            email=email.strip() if isinstance(email, str) else "",
            email_verified=claims.get(settings.SSO_EMAIL_VERIFIED_CLAIM),
        )
        amr = payload.get("amr")
        user.sso_sign_in = SignIn(  # type: ignore[attr-defined]
            identity=identity,
            # amr and acr from the ID token only: signed, and about this authentication.
            second_factor=second_factor_from(payload),
            amr=[str(value) for value in amr] if isinstance(amr, list) else [],
            acr=str(payload.get("acr") or ""),
        )
        return user

    def get_user(self, user_id: Any) -> User | None:
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
