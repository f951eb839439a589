"""Bulk reassignment in a real browser (issue 21, item 3): an officer lists the cases of an
investigator who is leaving, selects them all, reassigns them to a colleague with reasons, checks
what will happen, confirms and reads the result, one case refused for a conflict of interest.
axe-core checks each page; at 390 px nothing scrolls sideways."""

import pytest
from playwright.sync_api import Page, expect

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Assignment
from fairhearing.conftest import make_user
from fairhearing.core.testing.browser import assert_accessible
from fairhearing.core.testing.pages import sign_in
from fairhearing.interests import services as interests
from fairhearing.workflow.services import case_assign

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]

REASONS = "Ivo Brandt leaves the investigations unit on 30 June."


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("width", [1280, 390])
def test_an_officer_reassigns_a_leavers_cases(
    page: Page, live_server, organisation, make_complaint, case_officer, investigator, width
) -> None:
    colleague = make_user(
        organisation, "wren", Role.INVESTIGATOR, first_name="Wren", last_name="Adeyemi"
    )
    names = ("Cai Rhys", "Dee Orr", "Eli Vance")
    leavers = [make_complaint(respondents=(name,)).cases.get() for name in names]
    for case in leavers:
        case_assign(actor=None, case=case, user=case_officer, role="case_officer")
        case_assign(actor=None, case=case, user=investigator, role="investigator")
    others = make_complaint(respondents=("Fen Moss",)).cases.get()
    case_assign(actor=None, case=others, user=case_officer, role="case_officer")
    interests.interest_declare(actor=colleague, kind="person", person=leavers[2].respondent)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, case_officer.username)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/cases/")
    page.get_by_text("Filter cases").click()
    page.get_by_label("Assigned to", exact=True).select_option(label="Ivo Brandt")
    page.get_by_role("button", name="Apply filters").click()
    table = page.get_by_test_id("case-table")
    expect(table.get_by_test_id("reference")).to_have_count(3)
    expect(page.get_by_role("link", name=others.reference)).to_have_count(0)

    page.get_by_role("link", name="Select all 3 cases on this page").click()
    for case in leavers:
        expect(page.get_by_label(f"Select {case.reference}")).to_be_checked()
    assert page_width(page) <= width
    assert_accessible(page, context=f"case list: a leaver's cases selected, {width} px")

    page.get_by_label("Assign to", exact=True).select_option(label="Wren Adeyemi")
    page.get_by_label("Investigator").check()
    page.get_by_label("Replacing (optional)").select_option(label="Ivo Brandt")
    page.get_by_role("button", name="Continue").click()  # no reasons yet
    expect(page.get_by_role("alert")).to_contain_text("Give the reasons for assigning these cases.")
    for case in leavers:  # the selection is kept
        expect(page.get_by_label(f"{case.reference}: ", exact=False)).to_be_checked()
    assert page_width(page) <= width
    assert_accessible(page, context=f"assign cases: an error, {width} px")
    page.get_by_label("Reasons").fill(REASONS)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check the assignments")).to_be_visible()
    expect(page.locator("#bulk-summary")).to_have_text(
        "2 cases will be assigned; 1 will be refused, and stay as it is."
    )
    expect(page.locator("#bulk-rows")).to_contain_text("Wren Adeyemi cannot join this case")
    assert page_width(page) <= width
    assert_accessible(page, context=f"check the assignments, {width} px")
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator("#bulk-result")).to_have_text("2 cases assigned to Wren Adeyemi; 1 refused")
    refused = page.locator("#bulk-refused")
    expect(refused).to_contain_text(leavers[2].reference)
    expect(refused).to_contain_text("Wren Adeyemi cannot join this case")
    assert page_width(page) <= width
    assert_accessible(page, context=f"cases assigned, {width} px")
    for case in leavers[:2]:
        assert Assignment.objects.filter(case=case, user=colleague, ended_at=None).exists()
        assert not Assignment.objects.filter(case=case, user=investigator, ended_at=None).exists()

    # Back to the leaver's list: only the refused case is still theirs.
    page.get_by_role("link", name="Back to the case list").click()
    expect(table.get_by_test_id("reference")).to_have_text([leavers[2].reference])
