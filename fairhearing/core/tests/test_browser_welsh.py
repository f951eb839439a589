"""Welsh as a party meets it in Chromium: the portal's case page after the language switch,
and the anonymous reporter's status page (issue 25, item 4); each checked for accessibility
and, with FAIRHEARING_SCREENSHOTS set, saved at 1280 and 390 px wide."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from fairhearing.conftest import walk
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.people.models import Person
from fairhearing.portal.services import message_send
from fairhearing.workflow.sign_in import sign_in_link_send

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_a_respondent_switches_their_case_to_welsh(
    page: Page, live_server, case, case_officer
) -> None:
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case = walk(case, case_officer, "acknowledge", "begin_assessment", "assess_investigate")
    message_send(
        case=case,
        party_person=case.respondent,
        party_role="respondent",
        body="Your reply is welcome before the date shown.",
        from_staff=case_officer,
    )
    sign_in_link_send(actor=case_officer, case=case, person=case.respondent)
    match = re.search(r"http://[^\s]+/portal/sign-in/[^/\s]+/", str(mail.outbox[-1].body))
    assert match
    page.goto(match.group(0).replace("http://127.0.0.1:8000", live_server.url))
    page.get_by_role("button", name="Continue to my case").click()
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h2").first).to_have_text("Beth sy\u2019n cael ei honni")
    expect(page.locator("#portal-stage")).to_have_text("Hysbysiad i\u2019r atebydd")
    assert_accessible(page, context="the portal's case page in Welsh")
    snapshot(page, "welsh-portal-case")
    case.respondent.refresh_from_db()
    assert case.respondent.language == "cy"


def test_an_anonymous_reporter_reads_their_report_in_welsh(
    page: Page, live_server, organisation, case_officer
) -> None:
    from fairhearing.core.tests.test_welsh import _reporter_with_two_cases  # the same report

    _client, _case, code = _reporter_with_two_cases(organisation, case_officer)
    page.goto(f"{live_server.url}/report/")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_label("Eich cod derbynneb").fill(code)
    page.get_by_role("button", name="Parhau").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Eich adroddiad dienw")
    expect(page.get_by_test_id("report-stage").last).to_contain_text("Canlyniad:")
    assert_accessible(page, context="the anonymous reporter's page in Welsh")
    snapshot(page, "welsh-report-status")


def test_a_visitor_reads_the_published_statistics_in_welsh(
    page: Page, live_server, organisation, make_complaint, case_officer, settings, tmp_path
) -> None:
    from fairhearing.core.tests.test_welsh import publish_statistics  # the same report

    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"
    report = publish_statistics(organisation, make_complaint, case_officer)
    page.goto(f"{live_server.url}/statistics/")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_role("link", name=report.period).click()
    expect(page.locator("h1")).to_have_text(f"Ystadegau cwynion, {report.period}")
    expect(
        page.get_by_role(
            "img", name="Cwynion a ddaeth i law, yn ôl y categori fel y\u2019i canfyddir"
        )
    ).to_be_visible()
    expect(page.get_by_test_id("survey_complainant")).to_contain_text("Cytuno\u2019n gryf")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, context=f"the statistics in Welsh at {width} px")
        # Nothing wider than the screen: long Welsh words wrap, tables scroll in their region.
        wider = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
        assert not wider, f"the page is wider than {width} px"
    snapshot(page, "welsh-statistics")
