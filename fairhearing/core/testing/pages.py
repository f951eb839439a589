"""Steps shared by browser tests."""

from playwright.sync_api import Page, expect

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - the test users' password (conftest)


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Staff sign in")).to_be_visible()
