"""A visitor reads the public statistics and downloads the CSV."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Page, expect

from fairhearing.core.testing.browser import assert_accessible
from fairhearing.reporting.queries import period_parse
from fairhearing.reporting.services import report_publish

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_a_visitor_reads_the_statistics_and_downloads_the_csv(
    page: Page, live_server, organisation, make_complaint, settings, tmp_path
) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"
    with time_machine.travel(dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)):
        for i in range(9):
            make_complaint(category="bullying" if i < 7 else "racism")
    report_publish(actor=None, organisation=organisation, period=period_parse("2026-Q4"))

    page.goto(f"{live_server.url}/statistics/")
    assert_accessible(page, context="statistics list")
    page.get_by_role("link", name="2026-Q4").click()
    expect(page.locator("#received")).to_have_text("9")
    expect(
        page.get_by_role("img", name="Complaints received, by category as perceived")
    ).to_be_visible()
    assert_accessible(page, context="statistics report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert "Racism,1-5" in text and "table,row,count" in text
