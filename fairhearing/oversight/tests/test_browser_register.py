"""A governing-body member tries to open a case by its URL; oversight sees the attempt."""

import pytest
from playwright.sync_api import Page, expect

from fairhearing.accounts.models import Role
from fairhearing.conftest import make_user
from fairhearing.core.testing.browser import assert_accessible
from fairhearing.core.testing.pages import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_a_refused_attempt_shows_in_oversights_register(
    page: Page, live_server, organisation, case
) -> None:
    make_user(organisation, "gideon", Role.GOVERNING_BODY, first_name="Gideon", last_name="Farrow")
    make_user(organisation, "odile", Role.OVERSIGHT, first_name="Odile", last_name="Marchetti")
    base = live_server.url

    sign_in(page, base, "gideon")
    response = page.goto(f"{base}/cases/{case.reference}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Rowan Ashby")  # nothing of the case leaks
    assert_accessible(page, context="not found")
    sign_out(page)

    sign_in(page, base, "odile")
    page.get_by_role("link", name="Interference register").click()
    attempts = page.get_by_test_id("attempts")
    expect(attempts).to_contain_text("Gideon Farrow")
    expect(attempts).to_contain_text(case.reference)
    expect(attempts).to_contain_text("Governing body")
    assert_accessible(page, context="interference register")
