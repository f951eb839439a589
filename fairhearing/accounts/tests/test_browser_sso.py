"""In a browser: a member of staff signs in through the organisation's identity provider (the
real test provider, its own sign-in page), and someone without a staff account is turned
away with a page that says what to do."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fairhearing.accounts.models import ProviderIdentity, Role
from fairhearing.conftest import make_user
from fairhearing.core.testing.browser import assert_accessible, snapshot

from .oidc_provider.provider import PERSON_PASSWORD, Provider, start_provider

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


@pytest.fixture
def sso(live_server: Any, settings: Any, tmp_path: Any) -> Iterator[Provider]:
    callback = f"{live_server.url}/accounts/sign-in/sso/callback/"
    with start_provider(tmp_path, [callback]) as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        yield provider


def person(provider: Provider, email: str, amr: list[str]) -> None:
    claims = {"sub": "northfield-0007", "email": email, "email_verified": True, "amr": amr}
    provider.people({"person": {"password": PERSON_PASSWORD, "claims": claims}})


def at_the_provider(page: Page) -> None:
    expect(page.get_by_role("heading", name="Northfield Login")).to_be_visible()
    page.get_by_label("Username").fill("person")
    page.get_by_label("Password").fill(PERSON_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_through_the_provider(
    page: Page, live_server: Any, sso: Provider, organisation: Any
) -> None:
    olwen = make_user(organisation, "olwen", Role.CASE_OFFICER, first_name="Olwen")
    person(sso, olwen.email, ["pwd", "mfa"])

    page.goto(f"{live_server.url}/accounts/sign-in/")
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()
    button = page.get_by_role("button", name="Sign in with Northfield Login")
    expect(button).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()  # beside the password, not instead
    assert_accessible(page, context="sign-in page with single sign-on")
    snapshot(page, "sign-in-sso")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, context="sign-in page with single sign-on, narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    button.click()
    at_the_provider(page)
    # The provider asserted a second factor: straight to the case list, no code asked.
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    assert ProviderIdentity.objects.filter(user=olwen).exists()


def test_someone_without_a_staff_account_is_turned_away(
    page: Page, live_server: Any, sso: Provider, organisation: Any
) -> None:
    person(sso, "stranger@northfield.invalid", ["pwd"])
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with Northfield Login").click()
    at_the_provider(page)
    expect(page.get_by_role("heading", name="There is no staff account for you")).to_be_visible()
    assert_accessible(page, context="single sign-on refused")
    snapshot(page, "sso-refused")
    page.get_by_role("link", name="Go to the sign-in page").click()
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()
