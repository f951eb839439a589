"""The journey of a respondent without email: staff see the notice must go by post, add the
address with reasons, print the letter, record it posted; the reply window then runs from the
date of service, and the respondent signs in with the link printed in the letter."""

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from fairhearing.conftest import walk
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in, sign_out
from fairhearing.deadlines.services import calendar_for
from fairhearing.notifications.services import served_on_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_a_respondent_without_email_is_served_by_post_and_can_still_sign_in(
    page: Page, live_server, case, case_officer
) -> None:
    walk(case, case_officer, "acknowledge", "begin_assessment", "assess_investigate")
    base = live_server.url
    sign_in(page, base, case_officer.username)
    page.goto(f"{base}/cases/{case.reference}/")
    expect(page.get_by_test_id("letters-to-post")).to_contain_text(
        "Notice of allegations, to Rowan Ashby (respondent)"
    )
    expect(page.get_by_test_id("contact-respondent")).to_contain_text("No email or address")
    expect(page.locator("p", has_text="Not started")).to_contain_text(
        "Starts when the letter telling the respondent is served"
    )
    assert_accessible(page, context="case page with a letter to post")
    snapshot(page, "case-letter-to-post")

    page.get_by_role("link", name="Add the contact details of Rowan Ashby").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact details of Rowan Ashby")
    page.get_by_label("Postal address").fill("4 Mill Lane\nNorthfield\nNF1 2AB")
    page.get_by_role("button", name="Save the contact details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reasons for the change.")
    assert_accessible(page, context="contact details with errors")
    page.get_by_label("Reasons for the change").fill("From the branch membership list.")
    snapshot(page, "contact-details")
    page.get_by_role("button", name="Save the contact details").click()
    expect(page.get_by_test_id("contact-respondent")).to_contain_text("Post only")

    page.get_by_role(
        "link", name="Print and post the letter to Rowan Ashby: notice of allegations"
    ).click()
    expect(page.locator("#letter-summary")).to_contain_text("NF1 2AB")
    assert_accessible(page, context="letter to post")
    snapshot(page, "letter-to-post")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the letter (PDF), dated today").click()
    data = Path(download.value.path()).read_bytes()
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    today = timezone.localdate()
    served = served_on_for(case, today)
    due = calendar_for(case).add_working_days(served, 10)
    assert f"You can reply until {due:%d %B %Y}" in text
    link = re.search(r"/portal/sign-in/[a-z0-9-]+/", text)
    assert link, text

    page.get_by_label("Date posted").fill(today.isoformat())
    page.get_by_role("button", name="Record as posted").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"served on {served:%-d %B %Y}"
    )
    expect(page.get_by_test_id("letters-to-post")).to_have_count(0)
    expect(page.get_by_role("region", name="Emails and letters for this case")).to_contain_text(
        f"Posted {today:%-d %b %Y}, served {served:%-d %b %Y}"
    )
    expect(page.get_by_text(f"Respondent's reply window: due {due:%-d %B %Y}")).to_be_visible()
    assert_accessible(page, context="case page after posting")
    snapshot(page, "case-letter-posted")
    sign_out(page)

    # The respondent types the address printed in the letter.
    page.goto(base + link.group(0))
    page.get_by_role("button", name="Continue to my case").click()
    expect(page.locator(".govuk-inset-text").first).to_contain_text(
        f"You can reply to the allegations until {due:%-d %B %Y}"
    )
    assert_accessible(page, context="portal after a letter")
    snapshot(page, "portal-after-letter")
