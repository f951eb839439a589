"""The second sign-in step: set-up, codes, recovery codes, lock-out, and that every staff page
waits for it."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django_otp.plugins.otp_static.models import StaticToken

from fairhearing.accounts.middleware import OPEN_WITHOUT_SECOND_FACTOR
from fairhearing.accounts.models import AuthenticatorApp, Role, SignInFailure
from fairhearing.accounts.services import (
    LOCKED_OUT,
    MAX_PER_USERNAME,
    RECOVERY_CODE_COUNT,
    WRONG_CODE,
    WRONG_SETUP_CODE,
    recovery_codes_issue,
    second_factor_reset,
    totp_code_now,
)
from fairhearing.conftest import PASSWORD, make_user
from fairhearing.core.testing.second_factor import code_for
from fairhearing.core.tests.test_access_matrix import ROUTES

pytestmark = pytest.mark.django_db


def password_step(user: Any, client: Client | None = None) -> Client:
    """A client that has given the password only (the real form, not Client.login)."""
    client = client or Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def code_step(client: Client, code: str, next_url: str = "/cases/") -> Any:
    return client.post(reverse("accounts:two_factor"), {"code": code, "next": next_url})


def second_step_url(next_url: str) -> str:
    return f"{reverse('accounts:two_factor')}?next={next_url.replace('/', '%2F')}"


def test_after_the_password_staff_pages_wait_for_the_code(case_officer) -> None:
    client = password_step(case_officer)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == second_step_url("/cases/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Enter your code" in page.content.decode()


def test_a_right_code_completes_sign_in_and_goes_where_the_user_was_going(case_officer) -> None:
    client = password_step(case_officer)
    response = code_step(client, code_for(case_officer), next_url="/interests/")
    assert response.status_code == 302 and response["Location"] == "/interests/"
    assert client.get("/cases/").status_code == 200


def test_a_wrong_code_is_refused_and_counted(case_officer) -> None:
    client = password_step(case_officer)
    good = code_for(case_officer)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = code_step(client, wrong)
    assert response.status_code == 400
    assert WRONG_CODE in response.content.decode()
    assert SignInFailure.objects.filter(username=case_officer.username).count() == 1
    assert client.get("/cases/").status_code == 302


def test_a_code_is_used_once(case_officer) -> None:
    code = code_for(case_officer)
    assert code_step(password_step(case_officer), code).status_code == 302
    # Someone who saw it over the shoulder cannot use it again in the same 30 seconds.
    assert code_step(password_step(case_officer), code).status_code == 400


def test_an_unsafe_next_is_ignored(case_officer) -> None:
    client = password_step(case_officer)
    response = code_step(client, code_for(case_officer), next_url="https://evil.example/")
    assert response["Location"] == reverse("accounts:home")


def test_repeated_wrong_codes_lock_the_account_out(case_officer) -> None:
    client = password_step(case_officer)
    for _ in range(MAX_PER_USERNAME):
        code_step(client, "000000x")
    response = code_step(client, code_for(case_officer))
    assert response.status_code == 400 and LOCKED_OUT in response.content.decode()
    assert client.get("/cases/").status_code == 302
    # The password step is locked too: it is the same account.
    again = Client().post(
        reverse("accounts:login"), {"username": case_officer.username, "password": PASSWORD}
    )
    assert again.status_code == 200 and LOCKED_OUT in again.content.decode()


def test_a_recovery_code_works_once_only(case_officer) -> None:
    codes = recovery_codes_issue(actor=case_officer)
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    client = password_step(case_officer)
    assert code_step(client, codes[3].upper()).status_code == 302  # case and hyphen forgiven
    assert client.get("/cases/").status_code == 200
    assert StaticToken.objects.filter(device__user=case_officer).count() == RECOVERY_CODE_COUNT - 1
    response = code_step(password_step(case_officer), codes[3])
    assert response.status_code == 400 and WRONG_CODE in response.content.decode()


def test_new_recovery_codes_replace_the_old(case_officer) -> None:
    old = recovery_codes_issue(actor=case_officer)
    recovery_codes_issue(actor=case_officer)
    assert code_step(password_step(case_officer), old[0]).status_code == 400


# --- set-up --------------------------------------------------------------------------------


def test_a_user_without_an_app_sets_one_up_then_sees_recovery_codes_once(case_officer) -> None:
    second_factor_reset(actor=None, user=case_officer)
    client = password_step(case_officer)
    response = client.get(second_step_url("/interests/"))
    enrol = f"{reverse('accounts:two_factor_enrol')}?next=%2Finterests%2F"
    assert response.status_code == 302 and response["Location"] == enrol
    page = client.get(enrol).content.decode()
    device = AuthenticatorApp.objects.get(user=case_officer, confirmed=False)
    assert "otpauth://totp/" in page and "<svg" in page and "<style" not in page
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page)
    assert secret is not None
    assert b32decode_nopad(secret.group(1)) == bytes(device.bin_key)
    # The same secret until it is confirmed, however often the page is shown.
    assert secret.group(1) in client.get(enrol).content.decode()

    wrong = client.post(enrol, {"code": "123456x", "next": "/interests/"})
    assert wrong.status_code == 400 and WRONG_SETUP_CODE in wrong.content.decode()
    assert client.get("/cases/").status_code == 302

    done = client.post(enrol, {"code": totp_code_now(device), "next": "/interests/"})
    codes_url = f"{reverse('accounts:recovery_codes')}?next=%2Finterests%2F"
    assert done.status_code == 302 and done["Location"] == codes_url
    shown = client.get(codes_url).content.decode()
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", shown)
    assert len(codes) == RECOVERY_CODE_COUNT
    assert 'href="/interests/"' in shown
    # Shown once: the page now only moves on.
    assert client.get(codes_url)["Location"] == "/interests/"
    assert client.get("/cases/").status_code == 200
    assert AuthenticatorApp.objects.get(user=case_officer).confirmed
    # And a recovery code from the page works at the next sign-in.
    assert code_step(password_step(case_officer), codes[0]).status_code == 302


def test_set_up_is_not_offered_to_a_user_who_has_an_app(case_officer) -> None:
    client = password_step(case_officer)
    response = client.get(reverse("accounts:two_factor_enrol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    assert AuthenticatorApp.objects.filter(user=case_officer).count() == 1


def test_wrong_set_up_codes_count_towards_the_lock_out(case_officer) -> None:
    second_factor_reset(actor=None, user=case_officer)
    client = password_step(case_officer)
    enrol = reverse("accounts:two_factor_enrol")
    client.get(enrol)
    for _ in range(MAX_PER_USERNAME):
        client.post(enrol, {"code": "999999x"})
    device = AuthenticatorApp.objects.get(user=case_officer)
    response = client.post(enrol, {"code": totp_code_now(device)})
    assert response.status_code == 400 and LOCKED_OUT in response.content.decode()


def b32decode_nopad(grouped: str) -> bytes:
    from base64 import b32decode

    text = grouped.replace(" ", "")
    return b32decode(text + "=" * (-len(text) % 8))


# --- every staff route waits for the second step -------------------------------------------

SAMPLE_VALUES = {
    "int": "1",
    "str": "FH-2026-00001",
    "slug": "sample",
    "path": "x",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


def _sample_urls(resolver: URLResolver | None = None, prefix: str = "", route: str = "") -> Any:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _sample_urls(entry, namespace, route + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            pattern = route + str(entry.pattern)
            url = "/" + re.sub(
                r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES[m.group(1) or "str"], pattern
            )
            yield f"{prefix}{entry.name}", url


# Pages for the public, parties (emailed link) and anonymous reporters (receipt code).
OPEN_RULES = {"public", "party", "reporter"}
STAFF_ROUTES = sorted(
    (name, url)
    for name, url in _sample_urls()
    if not name.startswith(("api:", "accounts:")) and ROUTES.get(name) not in OPEN_RULES
)


def test_the_sample_urls_reach_their_routes() -> None:
    assert len(STAFF_ROUTES) > 20
    for name, url in STAFF_ROUTES:
        match = resolve(url)
        assert match.view_name == name, (name, url)


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_staff_route_sends_a_half_signed_in_user_to_the_second_step(
    case_officer, method
) -> None:
    client = password_step(case_officer)
    for name, url in STAFF_ROUTES:
        response = getattr(client, method)(url)
        assert response.status_code == 302, (name, url, response.status_code)
        # A form posted before the second step is not replayed after it.
        expected = second_step_url(url if method == "get" else reverse("accounts:home"))
        assert response["Location"] == expected, (name, url)


def test_the_open_pages_are_the_public_party_and_reporter_ones() -> None:
    for name in OPEN_WITHOUT_SECOND_FACTOR:
        assert ROUTES[name] in OPEN_RULES, name
    # ... and every such page is open (the access matrix's rules decide which they are).
    for name, rule in ROUTES.items():
        if rule in OPEN_RULES and not name.startswith("accounts:"):
            assert name in OPEN_WITHOUT_SECOND_FACTOR, name


def test_public_pages_stay_open_to_a_half_signed_in_user(case_officer) -> None:
    client = password_step(case_officer)
    for url in ["/", "/complaint/", "/healthz", "/statistics/", "/recommendations/", "/portal/"]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_api_ignores_the_session_and_wants_its_token(case_officer) -> None:
    client = password_step(case_officer)
    response = client.get("/api/v1/cases")
    assert response.status_code == 401


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_is_asked_for_a_code(organisation, role) -> None:
    user = make_user(organisation, f"u-{role}", role)
    client = password_step(user)
    assert client.get(reverse("interests:list"))["Location"].startswith(
        reverse("accounts:two_factor")
    )
