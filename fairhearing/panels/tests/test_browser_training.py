"""Training records in a real browser: an administrator finds who cannot be assigned and
records the course that lets them be; axe-core checks the page, with and without an error."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from fairhearing.accounts.models import Role
from fairhearing.conftest import make_user
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in
from fairhearing.panels.models import TrainingRecord

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_an_administrator_renews_an_officers_training(
    page: Page, live_server, organisation, case_officer
) -> None:
    make_user(organisation, "ada", Role.ADMINISTRATOR, first_name="Ada", last_name="Whitcombe")
    TrainingRecord.objects.filter(user=case_officer).update(expires_on=dt.date(2026, 3, 3))
    sign_in(page, live_server.url, "ada")
    page.get_by_role("link", name="Training records").click()
    row = page.get_by_role("row", name="Olwen Tarrant")
    expect(row).to_contain_text("Expired 3 March 2026")
    expect(page.locator("#not-ready")).to_contain_text("1 person cannot be assigned or drawn")
    assert_accessible(page, context="training records")
    snapshot(page, "training-records")

    page.get_by_label("Who completed it").select_option(label="Olwen Tarrant")
    page.get_by_label("Course").fill("Complaints handling")
    page.get_by_label("Completed on").fill("2026-11-30")
    page.get_by_role("button", name="Record training").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date it expires.")
    assert_accessible(page, context="training records, an error")

    page.get_by_label("Expires on").fill("2028-11-30")
    page.get_by_role("button", name="Record training").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Complaints handling recorded for Olwen Tarrant."
    )
    expect(row).to_contain_text("Current to 30 November 2028")
    expect(page.locator("#not-ready")).to_have_count(0)
