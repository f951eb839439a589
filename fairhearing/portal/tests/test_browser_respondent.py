"""A respondent signs in with an emailed link, reads the allegations, replies with a file and
asks for an oral hearing; the case officer sees the reply and the file it brought."""

import re

import pytest
from django.core import mail
from playwright.sync_api import FilePayload, Page, expect

from fairhearing.conftest import walk
from fairhearing.core.testing.browser import assert_accessible
from fairhearing.core.testing.pages import sign_in, sign_out
from fairhearing.evidence.tests.files import pdf
from fairhearing.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_a_respondent_replies_and_asks_for_an_oral_hearing(
    page: Page, live_server, case, case_officer
) -> None:
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case = walk(case, case_officer, "acknowledge", "begin_assessment", "assess_investigate")
    base = live_server.url

    sign_in(page, base, case_officer.username)
    page.goto(f"{base}/cases/{case.reference}/")
    page.get_by_text("Rowan Ashby (respondent): 0 messages").click()
    page.get_by_role("button", name="Email a sign-in link to Rowan Ashby").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Sign-in link sent")
    sign_out(page)

    match = re.search(r"http://[^\s]+/portal/sign-in/[^/\s]+/", str(mail.outbox[-1].body))
    assert match
    link = match.group(0).replace("http://127.0.0.1:8000", base)
    page.goto(link)
    assert_accessible(page, context="portal sign-in")
    page.get_by_role("button", name="Continue to my case").click()
    expect(page.locator("#portal-reference")).to_have_text(case.reference)
    expect(page.get_by_test_id("allegation")).to_contain_text(
        "Posted a cartoon demeaning a minority."
    )
    assert_accessible(page, context="portal case page")

    page.get_by_role("link", name="Reply to the allegations").click()
    assert_accessible(page, context="portal reply form")
    page.get_by_label("Your reply to the allegations").fill(
        "I did not post it; my account was shared."
    )
    files = page.get_by_label("Files to send with your reply (optional)")
    statement = FilePayload(name="login-history.pdf", mimeType="application/pdf", buffer=pdf())
    program = FilePayload(name="setup.exe", mimeType="application/octet-stream", buffer=b"MZ\x90")
    files.set_input_files([statement, program])
    page.get_by_role("button", name="Send my reply").click()
    # A refused file: named beside the field, with the files we take; nothing was sent.
    expect(page.locator("#id_attachments-error")).to_contain_text(
        "“setup.exe” cannot be added: We cannot accept this kind of file. Send a PDF"
    )
    expect(page.get_by_label("Your reply to the allegations")).to_have_value(
        "I did not post it; my account was shared."
    )
    assert_accessible(page, context="portal reply form with a refused file")
    files.set_input_files([statement])
    page.get_by_role("button", name="Send my reply").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("with 1 file")
    expect(page.get_by_test_id("reply")).to_contain_text("my account was shared")
    expect(page.get_by_test_id("reply-files")).to_have_text("Item 1: login-history.pdf")
    expect(page.get_by_test_id("portal-evidence")).to_contain_text(
        "Sent by the respondent with their reply"
    )

    page.get_by_role("link", name="Ask for an oral hearing or name a companion").click()
    assert_accessible(page, context="portal hearing request")
    page.get_by_label("Yes, I want to be heard in person or by video").check()
    page.get_by_label("Your companion's name (optional)").fill("Nell Furnival")
    page.get_by_role("button", name="Save my hearing request").click()
    expect(page.locator("#hearing-request")).to_contain_text("an oral hearing, with Nell Furnival")

    sign_in(page, base, case_officer.username)
    page.goto(f"{base}/cases/{case.reference}/")
    expect(page.get_by_test_id("staff-reply")).to_contain_text("my account was shared")
    expect(page.get_by_test_id("staff-reply-files")).to_contain_text("Item 1: login-history.pdf")
    expect(page.locator("#staff-hearing-request")).to_contain_text("Nell Furnival")
