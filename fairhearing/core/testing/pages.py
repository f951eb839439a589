"""Steps shared by browser tests."""

from playwright.sync_api import Page, expect

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - the test users' password (conftest)


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    """Password, then a code from the user's authenticator app (set up now if they have
    none: see testing/second_factor.py)."""
    from fairhearing.accounts.models import User
    from fairhearing.core.testing.second_factor import device_for

    device_for(User.objects.get(username=username))
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    enter_code(page, username)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def enter_code(page: Page, username: str) -> None:
    """The second sign-in step, after the password: a code from the user's authenticator app
    (which they have set up already)."""
    from fairhearing.accounts.models import User
    from fairhearing.core.testing.second_factor import code_for

    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(code_for(User.objects.get(username=username)))
    page.get_by_role("button", name="Continue").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Staff sign in")).to_be_visible()
