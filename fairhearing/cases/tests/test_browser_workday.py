"""An officer's working day in a real browser: the "Due this week" queue cleared by taking
each case's expected step, and a case taken from intake to a referral on the rulebook's
usual reasons, pre-filled, each decision recorded in full. axe-core checks each page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhearing.cases.models import Assignment, StageChange
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in
from fairhearing.organisations.default_rulebook import STANDARD_REASONS
from fairhearing.workflow.services import case_assign

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def record_as_filled(page: Page) -> None:
    """Send the decision form as the rulebook filled it in."""
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")


def test_an_officer_clears_the_due_this_week_queue(
    page: Page, live_server, make_complaint, case_officer
) -> None:
    cases = [make_complaint(respondents=(name,)).cases.get() for name in ("Ana Lee", "Bo Hart")]
    for case in cases:
        case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    later = make_complaint(respondents=("Cy Moss",)).cases.get()
    later.deadlines.update(due_at=timezone.now() + dt.timedelta(days=20))

    sign_in(page, live_server.url, case_officer.username)
    page.goto(f"{live_server.url}/cases/?queue=due_this_week")
    queues = page.get_by_role("navigation", name="Queues")
    expect(queues.locator("[aria-current=page]")).to_have_text("Due this week (2)")
    assert_accessible(page, context="due this week, two cases")
    snapshot(page, "queue-due-this-week")
    for done in range(1, 3):
        page.get_by_test_id("reference").first.get_by_role("link").click()
        expect(page.locator("#expected-action")).to_have_text("Acknowledge the complaint")
        page.locator("#expected-action").click()
        if done == 1:
            assert_accessible(page, context="decision form, pre-filled")
        record_as_filled(page)
        page.goto(f"{live_server.url}/cases/?queue=due_this_week")
        expect(queues.locator("[aria-current=page]")).to_have_text(f"Due this week ({2 - done})")
    expect(page.get_by_test_id("reference")).to_have_count(0)
    assert_accessible(page, context="due this week, cleared")
    # Acknowledged, each waits for its assessment in two weeks' time: not this week.
    for case in cases:
        case.refresh_from_db()
        assert case.stage == "acknowledged"


def test_a_case_goes_from_intake_to_a_referral_on_the_usual_reasons(
    page: Page, live_server, make_complaint, case_officer
) -> None:
    case = make_complaint().cases.get()
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    sign_in(page, live_server.url, case_officer.username)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    # The step expected at each stage is the button; where the officer decides otherwise,
    # the link among the others. Nothing is typed: the rulebook's reasons and rule stand.
    route = [
        ("acknowledge", "Acknowledge the complaint"),
        ("begin_assessment", "Begin assessment"),
        ("assess_investigate", None),
        ("reply_received", "Respondent's reply received: begin investigation"),
        ("complete_investigation", "Complete investigation"),
        ("refer_to_panel", None),
    ]
    for key, expected in route:
        if expected is not None:
            expect(page.locator("#expected-action")).to_have_text(expected)
            page.locator("#expected-action").click()
        else:
            page.locator("#case-actions").locator(f"a[href$='/act/{key}/']").click()
        reasons, rules = STANDARD_REASONS[key]
        expect(page.get_by_label("Reasons for this decision")).to_have_value(reasons)
        expect(page.get_by_label("Rule or criterion applied")).to_have_value(rules[0])
        if key == "assess_investigate":
            assert_accessible(page, context="decision form with the rulebook's rules")
        record_as_filled(page)
    expect(page.locator("#case-stage")).to_have_text("Hearing")
    assert_accessible(page, context="case page at the hearing")
    snapshot(page, "case-page-at-hearing")
    recorded = list(StageChange.objects.filter(case=case).order_by("pk"))
    assert [c.transition for c in recorded] == [key for key, _ in route]
    assert all(
        (c.reasons, c.rule_applied)
        == (STANDARD_REASONS[c.transition][0], STANDARD_REASONS[c.transition][1][0])
        for c in recorded
    )
