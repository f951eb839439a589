"""The demo's logins have a published authenticator key; `fairhearing otp` prints a code (DEBUG
or demo key only) and resets a lost app."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from fairhearing.accounts.demo import DEMO_TOTP_SECRET, demo_second_factor_ensure
from fairhearing.accounts.models import AuthenticatorApp, Role
from fairhearing.accounts.services import second_factor_reset, totp_device_confirmed
from fairhearing.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_user(organisation):
    user = make_user(organisation, "demo-officer", Role.CASE_OFFICER)
    second_factor_reset(actor=None, user=user)
    assert demo_second_factor_ensure([user]) == 1
    assert demo_second_factor_ensure([user]) == 0  # once
    return user


def test_a_demo_login_signs_in_with_the_code_the_command_prints(demo_user, capsys) -> None:
    call_command("otp", "code", demo_user.username)
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    client = Client()
    client.post(reverse("accounts:login"), {"username": demo_user.username, "password": PASSWORD})
    response = client.post(reverse("accounts:two_factor"), {"code": code, "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"


def test_the_demo_key_is_the_published_one(demo_user) -> None:
    from base64 import b32encode

    device = totp_device_confirmed(demo_user)
    assert device is not None
    assert b32encode(bytes(device.bin_key)).decode().rstrip("=") == DEMO_TOTP_SECRET


def test_without_debug_the_command_prints_no_real_users_code(case_officer, settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("otp", "code", case_officer.username)


def test_with_debug_off_the_demo_key_still_works(demo_user, settings, capsys) -> None:
    settings.DEBUG = False
    call_command("otp", "code", demo_user.username)
    assert capsys.readouterr().out.strip().isdigit()


def test_reset_forgets_the_app_so_the_user_sets_up_a_new_one(case_officer) -> None:
    call_command("otp", "reset", case_officer.username)
    assert not AuthenticatorApp.objects.filter(user=case_officer).exists()
    client = Client()
    client.post(
        reverse("accounts:login"), {"username": case_officer.username, "password": PASSWORD}
    )
    response = client.get(reverse("accounts:two_factor"))
    assert response["Location"].startswith(reverse("accounts:two_factor_enrol"))


def test_unknown_users_are_named(db) -> None:
    with pytest.raises(CommandError, match="no user"):
        call_command("otp", "code", "nobody")
