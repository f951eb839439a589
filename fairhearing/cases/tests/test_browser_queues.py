"""The case list's queues in a real browser: an officer lands on their own cases, opens "Due
this week" and finds the case due in two days; filters become tags, each removing one filter;
the list sorted by next due is saved as a view, found above the list, and deleted. axe-core
checks each state, at 1280 and at 390 px (no sideways scrolling of the page)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhearing.cases.models import Assignment
from fairhearing.core.testing.browser import assert_accessible
from fairhearing.core.testing.pages import sign_in
from fairhearing.workflow.services import case_assign

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_an_officer_opens_due_this_week_and_finds_the_case(
    page: Page, live_server, make_complaint, case_officer
) -> None:
    mine, due_soon, later = (make_complaint().cases.get() for _ in range(3))
    case_assign(actor=None, case=mine, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    now = timezone.now()
    mine.deadlines.update(due_at=now - dt.timedelta(days=4))
    due_soon.deadlines.update(due_at=now + dt.timedelta(days=2))
    later.deadlines.update(due_at=now + dt.timedelta(days=20))

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, case_officer.username)
    page.get_by_role("link", name="Cases", exact=True).first.click()
    queues = page.get_by_role("navigation", name="Queues")
    expect(queues.locator("[aria-current=page]")).to_have_text("Assigned to me (1)")
    expect(page.get_by_role("link", name=mine.reference)).to_be_visible()
    expect(page.get_by_test_id("days-overdue")).to_have_text("4 days")
    assert_accessible(page, context="case list: assigned to me")

    queues.get_by_role("link", name="Due this week").click()
    expect(queues.locator("[aria-current=page]")).to_have_text("Due this week (1)")
    expect(page.get_by_role("link", name=due_soon.reference)).to_be_visible()
    expect(page.get_by_role("link", name=later.reference)).to_have_count(0)
    expect(page.get_by_role("link", name=mine.reference)).to_have_count(0)
    assert_accessible(page, context="case list: due this week")

    # A filter within the queue, shown as a tag; the tag removes it.
    page.get_by_text("Filter cases").click()
    page.get_by_label("Assigned to").select_option(label="Nobody yet")
    page.get_by_role("button", name="Apply filters").click()
    tag = page.get_by_role("link", name="Remove this filter: Assigned to: Nobody yet")
    expect(tag).to_be_visible()
    expect(page.get_by_role("link", name=due_soon.reference)).to_be_visible()
    assert_accessible(page, context="case list: a filter in force")
    tag.click()
    expect(tag).to_have_count(0)
    expect(queues.locator("[aria-current=page]")).to_have_text("Due this week (1)")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page_width(page) <= 390
    assert_accessible(page, context="case list at 390 px")


def test_an_officer_sorts_by_next_due_and_saves_the_view(
    page: Page, live_server, make_complaint, case_officer
) -> None:
    now = timezone.now()
    later, sooner, overdue = (make_complaint().cases.get() for _ in range(3))
    for case, days in ((later, 9), (sooner, 2), (overdue, -3)):
        case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
        case.deadlines.update(due_at=now + dt.timedelta(days=days))

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, case_officer.username)
    page.get_by_role("link", name="Cases", exact=True).first.click()
    table = page.get_by_test_id("case-table")
    heading = table.get_by_role("columnheader", name="Next due")
    expect(heading).to_have_attribute("aria-sort", "none")
    expect(table.get_by_role("columnheader", name="Respondent")).not_to_have_attribute(
        "aria-sort", "none"
    )
    heading.get_by_role("link").click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    references = table.get_by_test_id("reference")
    expect(references).to_have_text([overdue.reference, sooner.reference, later.reference])
    assert_accessible(page, context="case list: sorted by next due")
    heading.get_by_role("link").click()  # again: the reverse
    expect(heading).to_have_attribute("aria-sort", "descending")
    expect(references).to_have_text([later.reference, sooner.reference, overdue.reference])

    page.get_by_role("link", name="Save this list as a view").click()
    expect(page.get_by_role("heading", name="Saved views", level=1)).to_be_visible()
    expect(page.locator("#list-shows")).to_contain_text("By next due, latest first")
    page.get_by_role("button", name="Save view").click()  # no name yet
    expect(page.get_by_role("alert")).to_contain_text("Give the view a name.")
    assert_accessible(page, context="saved views: an error")
    page.get_by_label("Name of the view").fill("Latest due")
    page.get_by_role("button", name="Save view").click()

    # Back on the list, in that order, with the view above it.
    expect(page.get_by_text("Saved the view “Latest due”")).to_be_visible()
    expect(heading).to_have_attribute("aria-sort", "descending")
    saved = page.locator("#saved-views").get_by_role("link", name="Latest due")
    expect(saved).to_have_attribute("aria-current", "true")
    assert_accessible(page, context="case list: a saved view")
    page.get_by_role("link", name="Opened").click()  # another order: no longer that view
    expect(saved).not_to_have_attribute("aria-current", "true")
    saved.click()
    expect(references).to_have_text([later.reference, sooner.reference, overdue.reference])

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page_width(page) <= 390
    assert_accessible(page, context="case list sorted, at 390 px")
    page.get_by_role("link", name="Save this list as a view, or delete one").click()
    assert page_width(page) <= 390
    assert_accessible(page, context="saved views at 390 px")
    page.get_by_role("button", name="Delete the view “Latest due”").click()
    expect(page.get_by_text("Deleted the view “Latest due”.")).to_be_visible()
    expect(page.get_by_text("You have no saved views yet.")).to_be_visible()
