"""A case-file audit in a real browser: oversight draws the last quarter's sample, audits one
case (an error first), raises its finding as a recommendation; axe-core checks each page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhearing.accounts.models import Role
from fairhearing.audits.queries import quarter_to_audit
from fairhearing.cases.models import Case
from fairhearing.conftest import make_user, walk
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_oversight_draws_a_sample_and_audits_a_case(
    page: Page, live_server, organisation, make_complaint, case_officer
) -> None:
    make_user(organisation, "odile", Role.OVERSIGHT, first_name="Odile", last_name="Marchetti")
    period = quarter_to_audit(timezone.localdate())
    for i, name in enumerate(("Ana Lee", "Bo Hart", "Cy Moss")):
        case = make_complaint(respondents=(name,)).cases.get()
        walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
        at = dt.datetime.combine(period.starts_on + dt.timedelta(days=9 * i), dt.time(11))
        Case.objects.filter(pk=case.pk).update(closed_at=timezone.make_aware(at))

    sign_in(page, live_server.url, "odile")
    page.get_by_role("link", name="Case-file audits").click()
    expect(page.get_by_label("Quarter")).to_have_value(period.name)
    assert_accessible(page, context="case-file audits, none yet")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"3 cases drawn for the {period.name} audit."
    )
    expect(page.locator("#sample tbody tr")).to_have_count(3)
    assert_accessible(page, context="an audit round")

    page.locator("#sample tbody tr").first.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit of ")
    page.get_by_role("group", name="Reasons given for each decision").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Record the audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Answer: Time limits met, or their extension explained.")
    expect(summary).to_contain_text("Say what was found where a check was not met.")
    assert_accessible(page, context="an audit, with errors")
    snapshot(page, "audit-case-errors")

    for label, answer in (
        ("Time limits met, or their extension explained", "Yes"),
        ("Notice of the allegations and the evidence disclosed to the respondent", "Yes"),
        ("Conflicts of interest checked for deciders", "Not applicable"),
    ):
        page.get_by_role("group", name=label).get_by_label(answer, exact=True).check()
    page.get_by_label("Findings").fill(
        "The letter closing the case gives the outcome but no reasons for it."
    )
    page.get_by_role("button", name="Record the audit").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
    row = page.locator("#sample tbody tr").first
    expect(row).to_contain_text("Not met: Reasons given for each decision")
    expect(page.get_by_test_id("audit-counts")).to_contain_text("Reasons given for each decision")

    row.get_by_role("link", name="Raise as a recommendation").click()
    expect(page.get_by_label("Recommendation")).to_have_value(
        "The letter closing the case gives the outcome but no reasons for it."
    )
    page.get_by_label("Recommendation").fill("Every closing letter gives its reasons.")
    page.get_by_label("Owner").fill("Head of Complaints")
    page.get_by_label("Due on").fill((timezone.localdate() + dt.timedelta(days=60)).isoformat())
    assert_accessible(page, context="raising a finding")
    snapshot(page, "audit-raise")
    page.get_by_role("button", name="Raise the recommendation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Raised as recommendation A1 of Case-file audit {period.name}"
    )
    expect(page.locator("#sample tbody tr").first).to_contain_text("A1: Not started")
    snapshot(page, "audit-round")

    page.locator(".govuk-back-link").click()
    expect(page.locator("#rounds")).to_contain_text("1 of 3")
    snapshot(page, "audit-rounds")
    page.get_by_role("link", name=period.name).click()
    for _ in range(2):  # the other two cases: every check met, or no call for it
        page.locator("#sample").get_by_role("link", name=re.compile(r"^Audit FH-")).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Audit of ")
        for group in page.get_by_role("group").all():
            group.get_by_label("Yes", exact=True).check()
        page.get_by_role("button", name="Record the audit").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
    expect(page.locator("#round-facts")).to_contain_text("3 of 3 (results published)")
    page.goto(f"{live_server.url}/audits/published/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case-file audit results")
    expect(page.locator("main")).to_contain_text(
        "3 of the 3 cases closed in the quarter were audited"
    )
    expect(page.locator("main")).not_to_contain_text("FH-")
    assert_accessible(page, context="the published audit results")
    snapshot(page, "audit-published")
