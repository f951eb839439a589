"""In a browser: a new administrator sets up an authenticator app, keeps the recovery codes,
signs in again with a code, and confirms it is them before importing recommendations."""

import datetime as dt
from base64 import b32decode

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from fairhearing.accounts.models import Role, User
from fairhearing.accounts.services import second_factor_reset
from fairhearing.conftest import PASSWORD, make_user
from fairhearing.core.testing.browser import assert_accessible
from fairhearing.core.testing.pages import enter_code, sign_out
from fairhearing.core.testing.second_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def code_from(secret_text: str) -> str:
    """What the user's app shows now: the TOTP of the key the page printed."""
    key = "".join(secret_text.split())
    return f"{totp(b32decode(key + '=' * (-len(key) % 8))):06d}"


def password(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_set_up_then_sign_in_with_a_code(page: Page, live_server, organisation) -> None:
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR, first_name="Ada", last_name="Quill")
    second_factor_reset(actor=None, user=admin)
    base = live_server.url

    # The password alone leads to setting up an app; no staff page opens before it.
    password(page, base, "ada")
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    page.goto(f"{base}/packs/")
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.locator("svg.fh-qr-code")).to_be_visible()
    assert_accessible(page, context="authenticator set-up")
    secret = page.locator("#otp-secret").inner_text()

    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("6-digit code")
    assert_accessible(page, context="set-up with an error")

    page.get_by_label("Code from your authenticator app").fill(code_from(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert_accessible(page, context="recovery codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("button", name="I have kept my codes: continue").click()
    expect(page.get_by_role("heading", name="Meeting packs")).to_be_visible()
    sign_out(page)

    # Next time: the password, then a code.
    password(page, base, "ada")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert_accessible(page, context="code step")
    page.get_by_label("Code", exact=True).fill(codes[0])  # a recovery code works too
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    sign_out(page)


def test_a_sensitive_page_asks_again_after_fifteen_minutes(
    page: Page, live_server, organisation
) -> None:
    make_user(organisation, "ada", Role.ADMINISTRATOR)
    base = live_server.url
    password(page, base, "ada")
    enter_code(page, "ada")
    page.goto(f"{base}/recommendations/import/")
    expect(page.get_by_role("heading", name="Confirm it is you")).not_to_be_visible()

    later = timezone.now() + dt.timedelta(seconds=settings.RECENT_AUTH_MAX_AGE + 60)
    with time_machine.travel(later, tick=True):
        page.goto(f"{base}/recommendations/import/")
        expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
        assert_accessible(page, context="re-authentication")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Code", exact=True).fill(code_for(User.objects.get(username="ada")))
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_url(f"{base}/recommendations/import/")
