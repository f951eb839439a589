"""The whole journey in a real browser: a member of the public complains; a case officer takes
the case from assessment to a panel decision and an appeal. axe-core checks every page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhearing.cases.models import Case
from fairhearing.conftest import PASSWORD, hearing_took_place
from fairhearing.core.testing.browser import assert_accessible
from fairhearing.core.testing.pages import enter_code, sign_in, sign_out
from fairhearing.deadlines.services import calendar_for
from fairhearing.demo.panels import panel_pool_ensure
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.panels.models import Panel

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def decide(page: Page, action: str, *, reasons: str, rule: str, sanction: str = "") -> None:
    page.get_by_role("link", name=action).click()
    assert_accessible(page, context=f"action form: {action}")
    page.get_by_label("Reasons for this decision").fill(reasons)
    page.get_by_label("Rule or criterion applied").fill(rule)
    if sanction:
        page.get_by_label("Sanction", exact=True).select_option(label=sanction)
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")


def test_a_complaint_goes_from_the_public_form_to_an_appeal(
    page: Page, live_server, organisation, case_officer
) -> None:
    base = live_server.url
    panel_pool_ensure(organisation, password=PASSWORD)

    # A member of the public complains, without signing in.
    page.goto(f"{base}/")
    assert_accessible(page, context="start page")
    page.get_by_role("button", name="Start now").click()
    assert_accessible(page, context="complaint form")
    page.get_by_role("button", name="Continue").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your full name.")
    assert_accessible(page, context="complaint form with errors")
    page.get_by_label("Your full name").fill("Priya Callender")
    page.get_by_label("Your email address").fill("priya@example.invalid")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Full name", exact=True).fill("Rowan Ashby")
    page.get_by_label("What kind of behaviour").select_option(label="Bullying or harassment")
    page.get_by_label("A post or publication").check()
    page.get_by_label("Tell us what happened").fill("Posted a cartoon demeaning a minority.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Priya Callender")
    assert_accessible(page, context="check your answers")
    page.get_by_role("button", name="Send complaint").click()
    expect(page.get_by_role("heading", name="Complaint received")).to_be_visible()
    assert_accessible(page, context="confirmation")
    complaint_ref = page.locator("#complaint-reference").inner_text()
    case = Case.objects.get(complaints__reference=complaint_ref)

    # A case officer signs in and finds it by the complainant's reference.
    page.get_by_role("link", name="Staff sign in").click()
    assert_accessible(page, context="sign in")
    page.get_by_label("Username").fill(case_officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_code(page, case_officer.username)
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    assert_accessible(page, context="case list")
    page.get_by_label("Reference").fill(complaint_ref)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#case-count")).to_contain_text("1 case")
    page.get_by_role("link", name=case.reference).click()
    expect(page.locator("#case-stage")).to_have_text("Acknowledged")
    assert_accessible(page, context="case page")

    # A refused move says why.
    page.goto(f"{base}/cases/{case.reference}/act/refer_to_panel/")
    expect(page.locator("#refusal")).to_contain_text("is not possible while the case is at")
    page.goto(f"{base}/cases/{case.reference}/")

    decide(page, "Begin assessment", reasons="Complaint within scope.", rule="Procedure 3.1")
    decide(
        page,
        "Assessment: investigate (send notice of allegations to the respondent)",
        reasons="If proven this would breach the code.",
        rule="Assessment criteria 2(c)",
    )
    expect(page.locator("#case-stage")).to_have_text("Notice to respondent")
    decide(
        page,
        "Respondent's reply received: begin investigation",
        reasons="Reply received on time.",
        rule="Procedure 4.2",
    )
    decide(page, "Complete investigation", reasons="Report written.", rule="Procedure 5")
    decide(
        page,
        "Charge decision: refer to a panel",
        reasons="A case to answer.",
        rule="Charging standard",
    )

    # Schedule the hearing with the rulebook's notice.
    calendar = calendar_for(case)
    hearing_day = calendar.add_working_days(timezone.localdate(), 12)
    page.get_by_role("link", name="Schedule the hearing").click()
    assert_accessible(page, context="hearing form")
    page.get_by_label("Date of the hearing").fill(hearing_day.isoformat())
    page.get_by_role("button", name="Schedule and send notice").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Hearing scheduled")

    page.get_by_role("button", name="Draw the hearing panel").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("panel drawn")
    expect(page.locator("#panels")).to_be_visible()
    assert_accessible(page, context="case page with a panel")
    sign_out(page)

    hearing = Panel.objects.get(case=case, kind="hearing")
    members = [seat.user for seat in hearing.seats.order_by("-is_chair", "pk")]
    for member in members:  # each affirms before the case opens to them
        sign_in(page, base, member.username)
        page.get_by_role("link", name="Your panels").click()
        assert_accessible(page, context="your panels")
        page.get_by_role(
            "link", name=f"Check for conflicts and affirm for {case.reference}"
        ).click()
        assert_accessible(page, context="affirm no conflict")
        page.get_by_role("button", name="I affirm I have no conflict").click()
        expect(page.locator("#case-reference")).to_have_text(case.reference)
        sign_out(page)

    sign_in(page, base, case_officer.username)
    page.goto(f"{base}/cases/{case.reference}/")
    # Not before the day: the next step says a hearing cannot be recorded as held ahead of
    # its time (and the decision refuses it, cases/tests), and offers no link to try.
    expect(page.locator("#blocked-actions")).to_contain_text(
        "can be recorded as held only once that time has come"
    )
    expect(page.get_by_role("link", name="Record that the hearing was held")).to_have_count(0)
    assert_accessible(page, context="case page with a blocked step")
    hearing_took_place(case)
    page.goto(f"{base}/cases/{case.reference}/")
    decide(
        page,
        "Record that the hearing was held",
        reasons="Hearing held; both sides heard.",
        rule="Procedure 6",
    )
    sign_out(page)

    for index, member in enumerate(members):  # two uphold; the third dissents
        sign_in(page, base, member.username)
        page.goto(f"{base}/panels/")
        page.get_by_role("link", name=f"Vote on {case.reference}").click()
        if index == 0:
            assert_accessible(page, context="vote form")
        if index < 2:
            page.get_by_label("Decision: allegations upheld, with sanction").check()
            page.get_by_label("Sanction (only if you uphold the allegations)").select_option(
                label="Formal warning"
            )
        else:
            page.get_by_label("Decision: allegations not upheld").check()
        page.get_by_label("Your reasons").fill(f"Reasons of member {index + 1}.")
        page.get_by_role("button", name="Record my vote").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "vote is recorded"
        )
        sign_out(page)

    sign_in(page, base, case_officer.username)
    page.goto(f"{base}/cases/{case.reference}/")
    expect(page.locator("#panels")).to_contain_text("Dissent")
    decide(
        page,
        "Decision: allegations upheld, with sanction",
        reasons="Proven on the balance of probabilities.",
        rule="Code of Conduct CC-1.3",
        sanction="Formal warning",
    )
    expect(page.locator("#case-stage")).to_have_text("Appeal window")
    decide(page, "Appeal lodged", reasons="Appeal received in time.", rule="Procedure 8")
    page.get_by_role("button", name="Draw the appeal panel").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("panel drawn")
    sign_out(page)

    appeal = Panel.objects.get(case=case, kind="appeal")
    appeal_members = [seat.user for seat in appeal.seats.all()]
    assert not set(appeal_members) & set(members)  # nobody hears the appeal from their decision
    for member in appeal_members:
        sign_in(page, base, member.username)
        page.goto(f"{base}/panels/")
        page.get_by_role(
            "link", name=f"Check for conflicts and affirm for {case.reference}"
        ).click()
        page.get_by_role("button", name="I affirm I have no conflict").click()
        page.goto(f"{base}/panels/")
        page.get_by_role("link", name=f"Vote on {case.reference}").click()
        page.get_by_label("Appeal dismissed: decision stands").check()
        page.get_by_label("Your reasons").fill("No ground of appeal is made out.")
        page.get_by_role("button", name="Record my vote").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "vote is recorded"
        )
        sign_out(page)

    sign_in(page, base, case_officer.username)
    page.goto(f"{base}/cases/{case.reference}/")
    decide(
        page,
        "Appeal dismissed: decision stands",
        reasons="No ground of appeal made out.",
        rule="Procedure 8.4",
    )
    expect(page.locator("#case-stage")).to_have_text("Closed")
    expect(page.locator(".moj-timeline")).to_contain_text("No ground of appeal made out.")
    assert_accessible(page, context="closed case page")

    case.refresh_from_db()
    assert (case.stage, case.outcome, case.sanction) == (
        "closed",
        "appeal_dismissed",
        "formal_warning",
    )
    scheduled = Event.objects.get(case_id=case.pk, kind=EventKind.HEARING_SCHEDULED)
    hearing_at = dt.datetime.fromisoformat(scheduled.payload["hearing_at"])
    assert timezone.localdate(hearing_at) == hearing_day  # scheduled with the rulebook's notice
    assert ledger_verify().ok
