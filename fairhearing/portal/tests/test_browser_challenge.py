"""A respondent challenges a member of their panel for bias in the portal; the case officer
decides it, and the respondent reads the outcome; staff record a respondent's affiliation."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from fairhearing.conftest import PASSWORD, TO_HEARING, walk
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in, sign_out
from fairhearing.demo.panels import panel_pool_ensure, panel_prepare
from fairhearing.panels.queries import active_seats, sitting_panel
from fairhearing.people.models import Person
from fairhearing.workflow.sign_in import sign_in_link_send

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_a_respondent_challenges_a_panel_member_and_reads_the_outcome(
    page: Page, live_server, case, case_officer, organisation
) -> None:
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case.respondent.refresh_from_db()
    panel_pool_ensure(organisation, password=PASSWORD)
    walk(case, case_officer, *TO_HEARING)
    panel_prepare(case, case_officer)
    panel = sitting_panel(case, "hearing")
    assert panel is not None
    member = next(s.user for s in active_seats(panel) if not s.is_chair)
    base = live_server.url

    sign_in_link_send(actor=case_officer, case=case, person=case.respondent)
    match = re.search(r"/portal/sign-in/[^/\s]+/", str(mail.outbox[-1].body))
    assert match
    page.goto(base + match.group(0))
    page.get_by_role("button", name="Continue to my case").click()
    expect(page.get_by_test_id("panel-members")).to_contain_text(member.display_name)
    snapshot(page, "portal-case-panel")
    page.get_by_role("link", name="Challenge a panel member for bias").click()
    assert_accessible(page, context="portal challenge form")
    page.get_by_role("button", name="Send my challenge").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the panel member you challenge."
    )
    assert_accessible(page, context="portal challenge form with errors")
    page.get_by_label(member.display_name).check()
    page.get_by_label("Why do you think they could be biased?").fill(
        "They spoke in favour of the complaint at the branch meeting."
    )
    snapshot(page, "portal-challenge-form")
    page.get_by_role("button", name="Send my challenge").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Challenge sent")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert_accessible(page, context="portal challenge sent")
    snapshot(page, "portal-challenge-sent")

    sign_in(page, base, case_officer.username)
    page.goto(f"{base}/cases/{case.reference}/")
    expect(page.locator("#challenge-pending")).to_contain_text(member.display_name)
    snapshot(page, "case-challenge-pending")
    page.get_by_role("link", name=f"Decide the challenge to {member.display_name}").click()
    page.get_by_label("Upheld: the member steps aside").check()
    page.get_by_label("Reasons").fill("A fair-minded observer would see a real possibility.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#challenge-pending")).to_have_count(0)

    # An affiliation of the respondent, from the parties table.
    page.get_by_role("link", name="Record the affiliations of Rowan Ashby").click()
    assert_accessible(page, context="affiliations")
    page.get_by_label("Faction").check()
    page.get_by_label("Its name").fill("Northfield Reform Caucus")
    page.get_by_label("Where does this come from?").fill("The caucus's list of supporters")
    page.get_by_label("The date of the source").fill("2026-01-14")
    page.get_by_role("button", name="Record the affiliation").click()
    expect(page.locator("#affiliations")).to_contain_text("Northfield Reform Caucus")
    assert_accessible(page, context="affiliations recorded")
    snapshot(page, "affiliations")
    sign_out(page)

    sign_in_link_send(actor=case_officer, case=case, person=case.respondent)
    match = re.search(r"/portal/sign-in/[^/\s]+/", str(mail.outbox[-1].body))
    assert match
    page.goto(base + match.group(0))
    page.get_by_role("button", name="Continue to my case").click()
    page.get_by_role("link", name=member.display_name).click()
    expect(page.locator("#challenge-outcome")).to_contain_text("was upheld")
    assert_accessible(page, context="portal challenge outcome")
    snapshot(page, "portal-challenge-outcome")
