"""An anonymous reporter submits with a screenshot, leaves, comes back with the receipt code,
and reads the case officer's reply."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from fairhearing.cases.models import Complaint
from fairhearing.core.testing.browser import assert_accessible, record_csp_violations
from fairhearing.core.testing.pages import sign_in
from fairhearing.evidence.models import EvidenceItem
from fairhearing.evidence.tests.files import png

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]

CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$")


def fresh_page(browser: Browser) -> tuple[Page, list[str]]:
    """A new browser context: no cookies, as if the reporter came back another day."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    return page, record_csp_violations(page)


def return_with(page: Page, base: str, code: str) -> None:
    page.goto(f"{base}/")
    page.get_by_role("link", name="Come back to an anonymous report").click()
    page.get_by_label("Your receipt code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#report-reference")).to_be_visible()


def test_an_anonymous_reporter_submits_leaves_returns_and_reads_a_reply(
    page: Page, chromium_browser: Browser, live_server, organisation, case_officer
) -> None:
    base = live_server.url
    page.goto(f"{base}/")
    page.get_by_role("link", name="report without giving your name").click()
    expect(page.get_by_role("heading", name="Report anonymously")).to_be_visible()
    assert_accessible(page, context="anonymous report form")
    page.get_by_label("Full name").first.fill("Rowan Ashby")
    page.get_by_label("What kind of behaviour").select_option("bullying")
    page.get_by_label("A post or publication").check()
    page.get_by_label("Tell us what happened").fill(
        "Posted a cartoon mocking a volunteer in the branch group."
    )
    page.get_by_label("A screenshot or file (optional)").set_input_files(
        {"name": "screenshot.png", "mimeType": "image/png", "buffer": png()}
    )
    page.get_by_label("What does the file show? (optional)").fill("The post, as I saw it")
    page.get_by_role("button", name="Continue").click()

    expect(
        page.get_by_role("heading", name="Check your answers before sending your report")
    ).to_be_visible()
    expect(page.locator(".govuk-summary-list").last).to_contain_text("screenshot.png")
    assert_accessible(page, context="check your answers (anonymous)")
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", name="Report received")).to_be_visible()
    assert_accessible(page, context="receipt page")
    code = page.locator("#receipt-code").inner_text().strip()
    assert CODE.match(code), code
    reference = page.locator("#complaint-reference").inner_text().strip()
    page.reload()  # shown once: it is gone now
    expect(page.get_by_role("heading", name="Come back to an anonymous report")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(code)
    page.context.close()

    complaint = Complaint.objects.get(reference=reference)
    case = complaint.cases.get()
    item = EvidenceItem.objects.get(case=case)
    assert item.original_name == "screenshot.png" and item.added_by_person == complaint.complainant

    # Another day, another browser: the code brings the reporter back.
    reporter, reporter_csp = fresh_page(chromium_browser)
    reporter.goto(f"{base}/report/")
    assert_accessible(reporter, context="receipt code page")
    reporter.get_by_label("Your receipt code").fill("WRNG-WRNG-WRNG-WRNG-WRNG-WRNG")
    reporter.get_by_role("button", name="Continue").click()
    expect(reporter.locator(".govuk-error-summary")).to_contain_text("does not match a report")
    assert_accessible(reporter, context="receipt code page with an error")
    return_with(reporter, base, code)
    expect(reporter.locator("#report-reference")).to_have_text(reference)
    expect(reporter.get_by_test_id("report-stage")).to_contain_text("We have received your report")
    expect(reporter.get_by_test_id("report-evidence")).to_contain_text(item.sha256)
    assert_accessible(reporter, context="anonymous report status")
    reporter.get_by_label("Your message to the case team").fill("I have more screenshots.")
    reporter.get_by_role("button", name="Send message").click()
    expect(reporter.get_by_test_id("report-message")).to_contain_text("I have more screenshots.")
    reporter.get_by_role("link", name="Add a screenshot or file").click()
    assert_accessible(reporter, context="reporter adds evidence")
    reporter.get_by_role("link", name="Back to your report").click()
    reporter.get_by_role("button", name="Leave and forget this report").click()
    expect(reporter.locator(".govuk-notification-banner")).to_contain_text("You have left")
    reporter.goto(f"{base}/report/status/")
    expect(reporter.get_by_role("heading", name="Come back to an anonymous report")).to_be_visible()
    reporter.context.close()

    # The case officer reads the message and replies from the case page.
    staff, staff_csp = fresh_page(chromium_browser)
    sign_in(staff, base, case_officer.username)
    staff.goto(f"{base}/cases/{case.reference}/")
    staff.get_by_text("Anonymous reporter (complainant): 1 message").click()
    thread = staff.locator("details", has_text="Anonymous reporter (complainant)")
    expect(thread).to_contain_text("I have more screenshots.")
    staff.get_by_label("Message to Anonymous reporter").fill(
        "Thank you. Please add them to your report."
    )
    staff.get_by_role("button", name="Send message to Anonymous reporter").click()
    expect(staff.locator(".govuk-notification-banner--success")).to_contain_text("Message sent")
    staff.context.close()

    # The reporter comes back once more and reads the reply.
    again, again_csp = fresh_page(chromium_browser)
    return_with(again, base, code)
    expect(again.get_by_test_id("report-message").last).to_contain_text(
        "Please add them to your report."
    )
    expect(again.get_by_test_id("report-message").last).to_contain_text("From the case team")
    assert_accessible(again, context="anonymous report status with a reply")
    again.context.close()
    assert reporter_csp == staff_csp == again_csp == []
