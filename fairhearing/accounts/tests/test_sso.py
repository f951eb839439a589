"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit, started by the
`provider` fixture on 127.0.0.1): the authorisation code flow over HTTP, Fairhearing's side
through Django's test client. The provider signs every ID token with its own key; what it
gets wrong (another client's audience, an expiry in the past) it gets wrong in the signed
token, and Fairhearing must notice."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from fairhearing.accounts.models import ProviderIdentity, Role, User
from fairhearing.accounts.sso import BY_ACR, BY_AMR, second_factor_from
from fairhearing.conftest import PASSWORD, make_user
from fairhearing.ledger.models import Event, EventKind

from .oidc_provider.provider import (
    OTHER_CLIENT_ID,
    PERSON_PASSWORD,
    Provider,
    authorise,
    start_provider,
)

CALLBACK = "http://testserver/accounts/sign-in/sso/callback/"
EMAIL = "olwen@northfield.invalid"  # make_user's address for "olwen"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with start_provider(tmp_path_factory.mktemp("oidc-provider"), [CALLBACK]) as running:
        yield running


@pytest.fixture
def sso(provider: Provider, settings: Any) -> Provider:
    """Single sign-on on, with this provider."""
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.SSO_TRUSTED_ACR = ["urn:northfield:loa:2"]
    return provider


@pytest.fixture
def olwen(organisation: Any) -> User:
    return make_user(organisation, "olwen", Role.CASE_OFFICER, first_name="Olwen")


def at_provider(
    provider: Provider,
    *,
    email: str = EMAIL,
    sub: str = "northfield-0001",
    verified: object = True,
    amr: list[str] | None = None,
    acr: str | None = None,
    id_token: dict[str, Any] | None = None,
    signed_by: str = "",
) -> None:
    """The one person the provider knows, `person`, with these claims."""
    claims: dict[str, Any] = {"sub": sub, "email": email, "email_verified": verified}
    if amr is not None:
        claims["amr"] = amr
    if acr is not None:
        claims["acr"] = acr
    provider.people(
        {
            "person": {
                "password": PERSON_PASSWORD,
                "claims": claims,
                "id_token": id_token or {},
                "signed_by": signed_by,
            }
        }
    )


def start(client: Client, next_url: str = "") -> str:
    """Fairhearing's sign-in button: where it sends the browser (the provider)."""
    url = reverse("accounts:sso_start") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302
    return str(response["Location"])


def come_back(client: Client, location: str) -> Any:
    """The browser arriving back at Fairhearing's callback."""
    assert location.startswith(CALLBACK), location
    parts = urlsplit(location)
    return client.get(parts.path, parse_qs(parts.query))


def sign_in(client: Client, next_url: str = "") -> Any:
    return come_back(client, authorise(start(client, next_url), "person"))


def events(kind: EventKind) -> list[dict[str, Any]]:
    return [event.payload for event in Event.objects.filter(kind=kind).order_by("seq")]


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def second_step_asked(client: Client) -> bool:
    response = client.get(reverse("cases:list"))
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:two_factor")
    )


# --- the sign-in page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_off_by_default_the_sign_in_page_is_as_before_and_the_routes_are_not_there(
    client: Client,
) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with" not in page
    assert reverse("accounts:sso_start") not in page
    assert client.get(reverse("accounts:sso_start")).status_code == 404
    callback = client.get(reverse("accounts:sso_callback"), {"code": "x", "state": "y"})
    assert callback.status_code == 404


@pytest.mark.django_db
def test_on_the_sign_in_page_offers_the_provider_beside_the_password(
    client: Client, sso: Provider
) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Northfield Login" in page
    assert 'name="password"' in page


@pytest.mark.django_db
def test_the_button_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(
    client: Client, sso: Provider
) -> None:
    location = start(client)
    assert location.startswith(sso.discovery["authorization_endpoint"])
    query = parse_qs(urlsplit(location).query)
    assert query["client_id"] == ["fairhearing"]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["scope"] == ["openid email"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32


# --- a good sign-in -------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_sign_in_links_the_account_by_verified_email_then_asks_for_the_second_step(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["pwd"])
    response = sign_in(client, next_url="/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:two_factor')}?next=%2Fcases%2F"
    assert signed_in_as(client) == olwen.pk
    assert second_step_asked(client)
    identity = ProviderIdentity.objects.get(user=olwen)
    assert (identity.issuer, identity.subject) == (sso.issuer, "northfield-0001")
    [linked] = events(EventKind.SSO_ACCOUNT_LINKED)
    assert linked["user"] == olwen.pk and "northfield-0001" not in str(linked)
    [signed_in] = events(EventKind.SSO_SIGNED_IN)
    assert signed_in["second_factor"] == "asked" and signed_in["amr"] == ["pwd"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amr", "acr", "how"),
    [
        (["pwd", "mfa"], None, BY_AMR),
        (["pwd", "otp"], None, BY_AMR),
        (["pwd"], "urn:northfield:loa:2", BY_ACR),
    ],
)
def test_a_second_factor_the_provider_asserts_is_not_asked_again(
    client: Client, sso: Provider, olwen: User, amr: list[str], acr: str | None, how: str
) -> None:
    at_provider(sso, amr=amr, acr=acr)
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert signed_in_as(client) == olwen.pk
    assert not second_step_asked(client)
    assert client.get(reverse("cases:list")).status_code == 200
    [signed_in] = events(EventKind.SSO_SIGNED_IN)
    assert signed_in["second_factor"] == how


@pytest.mark.django_db
def test_an_acr_that_is_not_configured_does_not_count(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["pwd"], acr="urn:northfield:loa:1")
    sign_in(client)
    assert signed_in_as(client) == olwen.pk
    assert second_step_asked(client)


@pytest.mark.django_db
def test_once_linked_the_subject_finds_the_account_whatever_the_email(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["mfa"])
    sign_in(client)
    at_provider(sso, amr=["mfa"], email="o.tarrant@elsewhere.invalid", verified=False)
    again = Client()
    assert sign_in(again).status_code == 302
    assert signed_in_as(again) == olwen.pk
    assert ProviderIdentity.objects.count() == 1
    assert len(events(EventKind.SSO_ACCOUNT_LINKED)) == 1


# --- refused --------------------------------------------------------------------------------


def assert_refused(client: Client, response: Any, status: int, heading: str, reason: str) -> None:
    assert response.status_code == status
    assert heading in response.content.decode()
    assert signed_in_as(client) is None
    assert events(EventKind.SSO_SIGNED_IN) == []
    assert events(EventKind.SSO_SIGN_IN_REFUSED)[-1]["reason"] == reason


@pytest.mark.django_db
def test_an_id_token_for_another_client_is_refused(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["mfa"], id_token={"aud": OTHER_CLIENT_ID})
    response = sign_in(client)
    assert_refused(client, response, 400, "You could not be signed in", "token")
    assert not ProviderIdentity.objects.exists()


@pytest.mark.django_db
def test_an_id_token_also_for_another_client_without_us_as_azp_is_refused(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["mfa"], id_token={"aud": ["fairhearing", OTHER_CLIENT_ID]})
    assert_refused(client, sign_in(client), 400, "You could not be signed in", "token")


@pytest.mark.django_db
@pytest.mark.parametrize("signed_by", ["stranger", "none", "client_secret"])
def test_an_id_token_not_signed_with_the_providers_published_key_is_refused(
    client: Client, sso: Provider, olwen: User, signed_by: str
) -> None:
    at_provider(sso, amr=["mfa"], signed_by=signed_by)
    assert_refused(client, sign_in(client), 400, "You could not be signed in", "token")
    assert not ProviderIdentity.objects.exists()


@pytest.mark.django_db
def test_an_id_token_for_another_sign_in_is_refused_by_its_nonce(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["mfa"], id_token={"nonce": "from-another-sign-in"})
    assert_refused(client, sign_in(client), 400, "You could not be signed in", "token")


@pytest.mark.django_db
def test_an_expired_id_token_is_refused(client: Client, sso: Provider, olwen: User) -> None:
    at_provider(sso, amr=["mfa"], id_token={"expired": True})
    assert_refused(client, sign_in(client), 400, "You could not be signed in", "token")


@pytest.mark.django_db
def test_an_id_token_from_another_issuer_is_refused(
    client: Client, sso: Provider, olwen: User, settings: Any
) -> None:
    settings.OIDC_ISSUER = "https://login.elsewhere.invalid"
    at_provider(sso, amr=["mfa"])
    assert_refused(client, sign_in(client), 400, "You could not be signed in", "token")


@pytest.mark.django_db
def test_a_replayed_state_is_refused(client: Client, sso: Provider, olwen: User) -> None:
    at_provider(sso, amr=["mfa"])
    location = authorise(start(client), "person")
    assert come_back(client, location).status_code == 302
    assert signed_in_as(client) == olwen.pk
    client.logout()
    # The same answer again, in the same browser: its state was used up.
    replay = come_back(client, location)
    assert replay.status_code == 400
    assert "This sign-in has already been used or has expired" in replay.content.decode()
    assert signed_in_as(client) is None
    assert events(EventKind.SSO_SIGN_IN_REFUSED)[-1]["reason"] == "state"
    assert len(events(EventKind.SSO_SIGNED_IN)) == 1


@pytest.mark.django_db
def test_a_code_used_once_is_refused_by_the_provider_even_with_a_fresh_state(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["mfa"])
    used = parse_qs(urlsplit(authorise(start(client), "person")).query)
    come_back(client, f"{CALLBACK}?code={used['code'][0]}&state={used['state'][0]}")
    client.logout()
    fresh = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = come_back(client, f"{CALLBACK}?code={used['code'][0]}&state={fresh}")
    assert response.status_code == 400
    assert "You could not be signed in" in response.content.decode()
    assert signed_in_as(client) is None
    assert len(events(EventKind.SSO_SIGNED_IN)) == 1
    assert events(EventKind.SSO_SIGN_IN_REFUSED)[-1]["reason"] == "token"


@pytest.mark.django_db
def test_a_state_from_another_browser_is_refused(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["mfa"])
    location = authorise(start(client), "person")  # begun in one browser...
    victim = Client()
    victim.get(reverse("accounts:login"))
    response = come_back(victim, location)  # ...finished in another
    assert_refused(victim, response, 400, "already been used or has expired", "state")
    # A session that has started a sign-in of its own does not accept someone else's either.
    start(victim)
    assert_refused(victim, come_back(victim, location), 400, "already been used", "state")


@pytest.mark.django_db
def test_an_unknown_user_is_refused_recorded_and_not_created(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, email="stranger@northfield.invalid", sub="northfield-0099", amr=["mfa"])
    users = User.objects.count()
    response = sign_in(client)
    assert_refused(client, response, 403, "There is no staff account for you", "unknown_user")
    assert User.objects.count() == users
    assert not ProviderIdentity.objects.exists()
    [refusal] = events(EventKind.SSO_SIGN_IN_REFUSED)
    assert "stranger" not in str(refusal)  # recorded by hash only
    assert refusal["email_sha256"] and refusal["subject_sha256"]
    assert refusal["issuer"] == sso.issuer


@pytest.mark.django_db
def test_an_email_the_provider_has_not_verified_is_not_matched(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, verified=False, amr=["mfa"])
    response = sign_in(client)
    assert_refused(client, response, 403, "could not be confirmed", "email_unverified")
    at_provider(sso, verified="true", amr=["mfa"])  # a string is not the boolean true
    assert_refused(client, sign_in(client), 403, "could not be confirmed", "email_unverified")
    assert not ProviderIdentity.objects.exists()


@pytest.mark.django_db
def test_a_deactivated_user_is_refused_before_and_after_linking(
    client: Client, sso: Provider, olwen: User
) -> None:
    olwen.is_active = False
    olwen.save()
    at_provider(sso, amr=["mfa"])
    assert_refused(client, sign_in(client), 403, "Your account is not active", "inactive")
    assert not ProviderIdentity.objects.exists()

    olwen.is_active = True
    olwen.save()
    assert sign_in(client).status_code == 302
    client.logout()
    olwen.is_active = False
    olwen.save()
    response = sign_in(client)
    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert events(EventKind.SSO_SIGN_IN_REFUSED)[-1]["reason"] == "inactive"


@pytest.mark.django_db
def test_an_account_linked_to_another_subject_is_not_taken_over_by_email(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["mfa"])
    sign_in(client)
    client.logout()
    # Someone else at the provider is given Olwen's address.
    at_provider(sso, sub="northfield-0042", amr=["mfa"])
    response = sign_in(client)
    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert events(EventKind.SSO_SIGN_IN_REFUSED)[-1]["reason"] == "other_subject"


@pytest.mark.django_db
def test_two_accounts_with_the_email_are_not_guessed_between(
    client: Client, sso: Provider, olwen: User, organisation: Any
) -> None:
    twin = make_user(organisation, "olwen2", Role.INVESTIGATOR)
    User.objects.filter(pk=twin.pk).update(email=EMAIL.upper())
    at_provider(sso, amr=["mfa"])
    assert_refused(client, sign_in(client), 403, "could not be matched", "ambiguous")


@pytest.mark.django_db
def test_the_provider_answering_with_an_error_is_refused(
    client: Client, sso: Provider, olwen: User
) -> None:
    location = start(client)
    state = parse_qs(urlsplit(location).query)["state"][0]
    response = client.get(
        reverse("accounts:sso_callback"), {"error": "access_denied", "state": state}
    )
    assert_refused(client, response, 400, "did not sign you in", "provider")
    # Its state is spent: the same sign-in cannot be finished afterwards.
    assert "oidc_states" in client.session
    assert state not in client.session["oidc_states"]


@pytest.mark.django_db
def test_the_callback_with_an_error_does_not_sign_anyone_out(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["mfa"])
    sign_in(client)
    assert signed_in_as(client) == olwen.pk
    # A link someone sent: the page says so, and Olwen is still signed in.
    response = client.get(reverse("accounts:sso_callback"), {"error": "access_denied"})
    assert response.status_code == 400
    assert signed_in_as(client) == olwen.pk
    assert client.get(reverse("cases:list")).status_code == 200


@pytest.mark.django_db
def test_a_password_sign_in_never_reaches_the_provider_backend(
    client: Client, sso: Provider, olwen: User
) -> None:
    response = client.post(
        reverse("accounts:login") + "?code=x&state=y",
        {"username": "olwen", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"


# --- the second-factor rule (RFC 8176) ------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"amr": ["mfa"]}, BY_AMR),
        ({"amr": ["pwd", "otp"]}, BY_AMR),
        ({"amr": ["hwk", "fpt"]}, BY_AMR),
        ({"amr": ["swk", "pin"]}, BY_AMR),
        ({"amr": ["pwd"]}, None),
        ({"amr": ["otp"]}, None),
        ({"amr": ["pwd", "pin", "kba"]}, None),  # three things known: one kind of factor
        ({"amr": ["hwk", "swk"]}, None),  # two things held: one kind
        ({"amr": ["hwk", "user"]}, None),  # presence is not a factor
        ({"amr": ["pwd", "mca", "geo", "rba"]}, None),
        ({"amr": "mfa"}, None),  # not a list, as RFC 8176 requires
        ({}, None),
        ({"acr": "urn:northfield:loa:2"}, BY_ACR),
        ({"acr": "urn:northfield:loa:1"}, None),
    ],
)
def test_the_second_factor_rule(
    claims: dict[str, Any], expected: str | None, settings: Any
) -> None:
    settings.SSO_TRUSTED_ACR = ["urn:northfield:loa:2"]
    assert second_factor_from(claims) == expected


# --- an administrator's links ----------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_links_an_account_the_provider_does_not_vouch_email_for(
    client: Client, sso: Provider, olwen: User, capsys: Any
) -> None:
    at_provider(sso, sub="northfield-0777", verified=False, amr=["mfa"])
    assert sign_in(client).status_code == 403  # no verified email: not matched

    call_command("sso", "link", "olwen", "northfield-0777")
    assert "olwen is linked" in capsys.readouterr().out
    assert sign_in(client).status_code == 302
    assert signed_in_as(client) == olwen.pk
    [linked] = events(EventKind.SSO_ACCOUNT_LINKED)
    assert linked["how"] == "administrator"
    with pytest.raises(CommandError, match="already linked"):
        call_command("sso", "link", "olwen", "northfield-0778")


@pytest.mark.django_db
def test_an_administrator_unlinks_an_account_whose_provider_account_was_replaced(
    client: Client, sso: Provider, olwen: User
) -> None:
    at_provider(sso, amr=["mfa"])
    sign_in(client)
    client.logout()
    at_provider(sso, sub="northfield-0042", amr=["mfa"])  # a new account at the provider
    assert sign_in(client).status_code == 403

    call_command("sso", "unlink", "olwen")
    assert sign_in(client).status_code == 302
    assert signed_in_as(client) == olwen.pk
    assert ProviderIdentity.objects.get(user=olwen).subject == "northfield-0042"
    assert len(events(EventKind.SSO_ACCOUNT_UNLINKED)) == 1


@pytest.mark.django_db
def test_the_command_refuses_while_single_sign_on_is_off(olwen: User) -> None:
    with pytest.raises(CommandError, match="Single sign-on is off"):
        call_command("sso", "show", "olwen")


@pytest.mark.django_db
def test_a_provider_naming_its_verified_claim_otherwise_is_read_by_that_name(
    client: Client, sso: Provider, olwen: User, settings: Any
) -> None:
    settings.SSO_EMAIL_VERIFIED_CLAIM = "xms_edov"  # as Entra ID names it
    sso.people(
        {
            "person": {
                "password": PERSON_PASSWORD,
                "claims": {"sub": "entra-1", "email": EMAIL, "xms_edov": True, "amr": ["mfa"]},
            }
        }
    )
    assert sign_in(client).status_code == 302
    assert signed_in_as(client) == olwen.pk


# --- settings from the environment -----------------------------------------------------------

SETTINGS_PRINT = (
    "from django.conf import settings; "
    "print(settings.SSO_ENABLED, settings.OIDC_RP_SIGN_ALGO, settings.SSO_TRUSTED_ACR, "
    "settings.SSO_PROVIDER_NAME, settings.AUTHENTICATION_BACKENDS[-1])"
)


def settings_with(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="fairhearing.settings",
        FAIRHEARING_VAR_DIR=str(tmp_path),
        **environment,
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", f"import django; django.setup(); {SETTINGS_PRINT}"],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=False,
    )


WHOLE = {
    "FAIRHEARING_OIDC_ISSUER": "https://login.northfield.invalid",
    "FAIRHEARING_OIDC_CLIENT_ID": "fairhearing",
    "FAIRHEARING_OIDC_CLIENT_SECRET": "s3cret",
    "FAIRHEARING_OIDC_AUTHORIZATION_ENDPOINT": "https://login.northfield.invalid/authorize",
    "FAIRHEARING_OIDC_TOKEN_ENDPOINT": "https://login.northfield.invalid/token",
    "FAIRHEARING_OIDC_JWKS_ENDPOINT": "https://login.northfield.invalid/jwks",
}


def test_off_without_an_issuer_and_on_with_the_whole_configuration(tmp_path: Path) -> None:
    off = settings_with(tmp_path)
    assert off.returncode == 0, off.stderr
    assert off.stdout.startswith("False RS256 [] single sign-on")
    on = settings_with(
        tmp_path,
        **WHOLE,
        FAIRHEARING_OIDC_TRUSTED_ACR="2, urn:loa:high",
        FAIRHEARING_OIDC_PROVIDER_NAME="Northfield Login",
    )
    assert on.returncode == 0, on.stderr
    assert on.stdout.strip() == (
        "True RS256 ['2', 'urn:loa:high'] Northfield Login fairhearing.accounts.sso.ProviderBackend"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"FAIRHEARING_OIDC_JWKS_ENDPOINT": ""}, "FAIRHEARING_OIDC_JWKS_ENDPOINT"),
        ({"FAIRHEARING_OIDC_CLIENT_SECRET": ""}, "FAIRHEARING_OIDC_CLIENT_SECRET"),
        ({"FAIRHEARING_OIDC_SIGN_ALGO": "HS256"}, "must be an RS or ES algorithm"),
        ({"FAIRHEARING_OIDC_SIGN_ALGO": "none"}, "must be an RS or ES algorithm"),
        ({"FAIRHEARING_OIDC_SCOPES": "email profile"}, "must include openid"),
    ],
)
def test_a_half_or_weak_configuration_refuses_to_start(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    result = settings_with(tmp_path, **{**WHOLE, **change})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
