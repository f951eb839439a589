"""The language switch in a browser: the start page in Welsh, accessible at both widths."""

import pytest
from playwright.sync_api import Page, expect

from fairhearing.core.testing.browser import assert_accessible, snapshot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_a_visitor_switches_to_welsh_and_back(page: Page, live_server, organisation) -> None:
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Start now")).to_be_visible()
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("button", name="Dechrau nawr")).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, context=f"start page in Welsh at {width} px")
    page.set_viewport_size({"width": 1280, "height": 900})
    snapshot(page, "welsh-start")
    # The choice holds from page to page, and back to English.
    page.get_by_role("button", name="Dechrau nawr").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("button", name="Start now")).to_be_visible()
