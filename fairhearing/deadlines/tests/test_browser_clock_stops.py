"""Governed clock-stops in a real browser: an officer asks for a time limit's clock to pause
(nothing filled in first, which the error summary names), the case page shows the request
awaiting approval, and an investigator on the case approves it with reasons (an empty decision
first). axe-core checks each page, at 1280 px and at 390 px (no sideways scrolling)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from fairhearing.cases.models import Assignment, Case
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in
from fairhearing.deadlines.models import ClockStop
from fairhearing.workflow.services import case_assign

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def narrow(page: Page, context: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    assert_accessible(page, context=f"{context} at 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_officer_asks_for_a_pause_and_a_colleague_approves_it(
    page: Page, chromium_browser: Browser, live_server, case: Case, case_officer, investigator
) -> None:
    for user, role in ((case_officer, "case_officer"), (investigator, "investigator")):
        case_assign(actor=None, case=case, user=user, role=Assignment.Role(role))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, case_officer.username)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_role("link", name="Pause the clock").click()
    expect(page.get_by_role("heading", name="Pause the clock")).to_be_visible()
    expect(page.locator("#needs-approval")).to_contain_text("cannot approve your own request")
    assert_accessible(page, context="pause the clock")
    narrow(page, "pause the clock")

    page.get_by_role("button", name="Ask for the clock to pause").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give the reasons for stopping the clock.")
    expect(summary).to_contain_text("Enter the restart date.")
    assert_accessible(page, context="pause the clock, with errors")
    snapshot(page, "clock-stop-errors")
    page.get_by_label("Reasons for stopping the clock").fill(
        "The respondent is in hospital until the middle of the month."
    )
    restart_on = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("Restart date").fill(restart_on.isoformat())
    snapshot(page, "clock-stop")
    page.get_by_role("button", name="Ask for the clock to pause").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "the clock runs on until someone else approves it"
    )
    stop = ClockStop.objects.get()
    card = page.locator(f"#clock-stop-{stop.pk}")
    expect(card).to_contain_text("Pause awaiting approval")
    expect(card).to_contain_text(f"{restart_on:%-d %b %Y}")
    expect(page.get_by_role("link", name="Approve the pause")).to_have_count(0)
    assert_accessible(page, context="case page, a pause awaiting approval")

    colleague = chromium_browser.new_context(locale="en-GB", timezone_id="Europe/London")
    other = colleague.new_page()
    other.set_viewport_size({"width": 1280, "height": 900})
    try:
        sign_in(other, live_server.url, investigator.username)
        other.goto(f"{live_server.url}/cases/{case.reference}/")
        snapshot(other, "case-clock-stop-awaiting")
        other.get_by_role("link", name="Approve the pause").click()
        expect(other.get_by_role("heading", name="Approve the pause")).to_be_visible()
        expect(other.locator("main")).to_contain_text("in hospital until the middle")
        assert_accessible(other, context="approve the pause")
        narrow(other, "approve the pause")
        other.get_by_role("button", name="Approve the pause").click()
        expect(other.locator(".govuk-error-summary")).to_contain_text(
            "Give the reasons for your decision."
        )
        assert_accessible(other, context="approve the pause, with an error")
        snapshot(other, "clock-stop-decide-errors")
        other.get_by_label("Reasons for your decision").fill("Discharge letter seen.")
        other.get_by_role("button", name="Approve the pause").click()
        expect(other.locator(".govuk-notification-banner--success")).to_contain_text(
            "Clock paused until"
        )
        expect(other.locator(f"#clock-stop-{stop.pk}")).to_contain_text("approved by Ivo Brandt")
        assert_accessible(other, context="case page, the clock paused")
        snapshot(other, "case-clock-stopped")
        narrow(other, "case page, the clock paused")
    finally:
        colleague.close()
    stop.refresh_from_db()
    assert (stop.status, stop.decided_by) == (ClockStop.Status.STOPPED, investigator)
