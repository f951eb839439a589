"""A visitor reads the public statistics and downloads the CSV."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Page, expect

from fairhearing.core.testing.browser import assert_accessible, snapshot
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
    expect(
        page.get_by_role("heading", name="Clock stops ended, by how the clock restarted")
    ).to_be_visible()
    expect(page.locator("#clock-stopped-days")).to_contain_text("fewer than 6 clock stops")
    assert_accessible(page, context="statistics report")
    snapshot(page, "statistics")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert "Racism,1-5" in text and "table,row,count" in text


def test_a_governing_body_member_reads_a_pack(
    page: Page, live_server, organisation, make_complaint
) -> None:
    from fairhearing.accounts.models import Role
    from fairhearing.conftest import make_user
    from fairhearing.core.testing.pages import sign_in
    from fairhearing.deadlines.models import ClockStop
    from fairhearing.reporting.models import Meeting
    from fairhearing.reporting.services import meeting_pack_make

    case = make_complaint().cases.get()
    case.deadlines.update(due_at="2026-01-01T00:00:00Z")
    # Another case's clock, stopped 40 days ago and escalated for its length.
    stopped = make_complaint(respondents=("Ellis Moreno",)).cases.get()
    started = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    ClockStop.objects.create(
        deadline=stopped.deadlines.get(),
        case=stopped,
        status="stopped",
        reasons="Respondent in hospital.",
        restart_on=dt.date.today() + dt.timedelta(days=20),
        restarts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=20),
        started_at=started,
        escalated_at=started + dt.timedelta(days=30),
    )
    meeting = Meeting.objects.create(
        organisation=organisation, title="Executive Committee", held_on=dt.date(2026, 12, 10)
    )
    meeting_pack_make(meeting=meeting)
    make_user(organisation, "gideon", Role.GOVERNING_BODY)
    sign_in(page, live_server.url, "gideon")
    page.get_by_role("link", name="Meeting packs").click()
    assert_accessible(page, context="meeting packs")
    page.get_by_role("link", name="Read the pack for Executive Committee").click()
    expect(page.locator("#overdue-count")).to_have_text("1")
    expect(page.get_by_test_id("overdue")).to_contain_text("OC-")
    expect(page.locator("body")).not_to_contain_text(case.reference)
    expect(page.locator("body")).not_to_contain_text("Rowan Ashby")
    expect(page.get_by_test_id("long-stops")).to_contain_text("40")
    expect(page.locator("body")).not_to_contain_text(stopped.reference)
    assert_accessible(page, context="meeting pack")
    snapshot(page, "pack")
