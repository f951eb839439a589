"""A case officer places, reviews and lifts a legal hold, and answers a subject access request.
Every page passes axe-core, with no CSP violation."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhearing.core.testing.browser import assert_accessible
from fairhearing.core.testing.pages import sign_in
from fairhearing.dataprotection.models import LegalHold, SubjectAccessRequest

from .conftest import RESPONDENT, full_history

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_legal_hold_and_subject_access_pages(
    page: Page, live_server, organisation, case_officer
) -> None:
    case = full_history(organisation, case_officer, on_team=True)
    base = live_server.url
    sign_in(page, base, case_officer.username)

    page.goto(f"{base}/cases/{case.reference}/")
    page.get_by_role("link", name="Legal hold and retention").click()
    expect(page.get_by_role("heading", name="Legal hold and retention")).to_be_visible()
    assert_accessible(page, context="legal hold")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reasons.")
    assert_accessible(page, context="legal hold with errors")
    page.get_by_label("Reasons").fill("Employment tribunal claim.")
    review_on = timezone.localdate() + dt.timedelta(days=90)
    page.get_by_label("Review by").fill(review_on.isoformat())
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_role("heading", name="On legal hold")).to_be_visible()
    page.get_by_role("link", name="Review the hold").click()
    assert_accessible(page, context="review the hold")
    page.get_by_label("Reasons").fill("Claim continues.")
    page.get_by_label("Review by").fill((review_on + dt.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Keep the hold").click()
    page.get_by_role("link", name="Lift the hold").click()
    assert_accessible(page, context="lift the hold")
    page.get_by_label("Reasons").fill("Tribunal decided.")
    page.get_by_role("button", name="Lift the hold").click()
    expect(page.get_by_role("button", name="Place the hold")).to_be_visible()
    assert_accessible(page, context="legal hold history")
    assert LegalHold.objects.get().lifted_at is not None

    page.get_by_role("link", name="Subject access").click()
    expect(page.get_by_role("heading", name="Subject access requests")).to_be_visible()
    assert_accessible(page, context="subject access list")
    page.get_by_role("button", name="Record the request").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, context="subject access with errors")
    page.get_by_label("Membership number").fill(RESPONDENT.membership_number.lower())
    page.get_by_label("Date the request was received").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", name="Request")).to_be_visible()
    assert_accessible(page, context="subject access request")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Mark as answered").click()
    expect(page.locator(".govuk-tag--green")).to_contain_text("Completed")
    assert SubjectAccessRequest.objects.get().status == "completed"
