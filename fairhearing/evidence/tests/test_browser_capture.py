"""A capture from a link in a real browser, end to end: an officer asks for a capture of a
post on the local fixture site (an empty address first, which the error summary names); the
task runs (the test settings run tasks at once, in the request) and the item's page shows what
was kept and its hashes; the post is edited and captured again, and the comparison shows it; a
link that redirects to a private address fails, saying why, with "Try again". The case page
shows a like alleged as such, with the items that evidence the post. axe-core checks each
page, at 1280 px and at 390 px (no sideways scrolling)."""

import pytest
from playwright.sync_api import Page, expect

from fairhearing.cases.models import AllegationType, Assignment, Channel
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in
from fairhearing.evidence.capture import PRIVATE_ADDRESS
from fairhearing.evidence.models import CaptureRequest, WebCapture
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.people.services import PersonDetails
from fairhearing.workflow.services import case_assign

from .fixture_site import EDITED_TEXT, POST_TEXT, fixture_site

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def narrow_too(page: Page, context: str) -> None:
    assert_accessible(page, context=context)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390, context
    assert_accessible(page, context=f"{context} at 390 px")
    if size:
        page.set_viewport_size(size)


def test_an_officer_captures_a_post_captures_it_again_and_sees_a_failure(
    page: Page, live_server, organisation, case_officer, settings
) -> None:
    with fixture_site() as site:
        settings.CAPTURE_ALLOW_PRIVATE = [site.allow]
        settings.CAPTURE_TIMEOUT_SECONDS = 10
        post = f"{site.base}/post/1"
        case = complaint_record(
            actor=case_officer,
            organisation=organisation,
            channel=Channel.EMAIL,
            complainant=PersonDetails(full_name="Priya Callender", email="priya@example.invalid"),
            respondents=[PersonDetails(full_name="Rowan Ashby")],
            allegation=AllegationDetails(
                allegation_type=AllegationType.LIKE,
                category="bullying",
                description="Liked a post mocking a member's disability.",
                url=post,
                acting_account="@fictional_member",
            ),
            summary="Liked a post.",
        ).cases.get()
        case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
        ref = case.reference

        page.set_viewport_size({"width": 1280, "height": 900})
        sign_in(page, live_server.url, case_officer.username)
        page.goto(f"{live_server.url}/cases/{ref}/evidence/")
        page.get_by_role("link", name="Capture a post from its link").click()
        expect(page.get_by_role("heading", name="Capture a post from its link")).to_be_visible()
        page.get_by_role("button", name="Capture the post").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter the web address of the post."
        )
        narrow_too(page, "capture form, with an error")
        snapshot(page, "capture-form-error")

        page.get_by_label("Web address of the post").fill(post)
        page.get_by_label("Notes (optional)").fill("The post she liked")
        page.get_by_role("button", name="Capture the post").click()
        expect(page.get_by_role("heading", name="Captured")).to_be_visible()
        narrow_too(page, "capture done")
        page.get_by_role("link", name="See what was kept for item 1").click()
        expect(page.locator("#capture-files")).to_contain_text("Web archive record (WARC)")
        first = WebCapture.objects.get()
        expect(page.locator("#capture-files")).to_contain_text(first.html_blob_id)
        expect(page.locator("#item-summary")).to_contain_text("HTTP 200")
        expect(page.get_by_text(POST_TEXT)).to_be_visible()
        narrow_too(page, "captured item")
        snapshot(page, "capture-item")

        # Edited after the complaint: captured again, the first kept, the two compared.
        site.edited = True
        page.get_by_role("button", name="Capture the link again").click()
        expect(page.get_by_role("heading", name="Captured")).to_be_visible()
        page.get_by_role("link", name="See what was kept for item 2").click()
        comparison = page.locator("#capture-comparison")
        expect(page.locator("#comparison")).to_have_text("Compared with item 1")
        expect(page.get_by_text("The text has changed.")).to_be_visible()
        expect(comparison).to_contain_text(first.html_blob_id)
        expect(page.get_by_text(EDITED_TEXT)).to_be_visible()
        narrow_too(page, "re-captured item with its comparison")
        snapshot(page, "capture-comparison")

        # A link that redirects to the cloud's metadata address: refused, saying why.
        page.goto(f"{live_server.url}/cases/{ref}/evidence/capture/")
        page.get_by_label("Web address of the post").fill(f"{site.base}/to-metadata")
        page.get_by_role("button", name="Capture the post").click()
        expect(page.get_by_role("heading", name="The capture failed")).to_be_visible()
        expect(page.locator("#capture-failure")).to_have_text(
            PRIVATE_ADDRESS.format(host="169.254.169.254")
        )
        narrow_too(page, "failed capture")
        snapshot(page, "capture-failed")
        page.get_by_role("button", name="Try again").click()
        expect(page.get_by_role("heading", name="The capture failed")).to_be_visible()
        assert CaptureRequest.objects.get(state="failed").attempts == 2

        # Still capturing (as it shows while the worker is at it).
        queued = CaptureRequest.objects.create(case=case, url=post, requested_by=case_officer)
        page.goto(f"{live_server.url}/cases/{ref}/evidence/capture/{queued.pk}/")
        expect(page.get_by_role("heading", name="Capturing…")).to_be_visible()
        narrow_too(page, "capture under way")
        snapshot(page, "capture-queued")
        page.goto(f"{live_server.url}/cases/{ref}/evidence/")
        expect(page.locator("#evidence-captures")).to_contain_text("Failed")
        narrow_too(page, "evidence list with captures")
        snapshot(page, "capture-evidence-list")

        # The case page: the like alleged as such, and the items evidencing the post.
        page.goto(f"{live_server.url}/cases/{ref}/")
        allegation = page.get_by_test_id("allegation")
        expect(allegation).to_contain_text("Liking someone else's content")
        expect(allegation).to_contain_text(f"the account @fictional_member liked: {post}")
        expect(allegation.get_by_role("link", name="item 1")).to_be_visible()
        narrow_too(page, "case page with a like alleged")
        snapshot(page, "capture-case-page")
