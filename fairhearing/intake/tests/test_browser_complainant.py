"""A named complainant's journey, as they read it: the form with a screenshot and the post's
link, "check your answers", the reference and its proof, following the case with the
reference they were given, the evidence they sent, the decision in words, and signing out."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from fairhearing.cases.models import Case, Complaint
from fairhearing.core.testing.browser import assert_accessible
from fairhearing.evidence.tests.files import png
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.workflow.services import case_transition

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]

INTERNAL = re.compile(r"assess_|_no_further|Transition\(|\bNone\b|snake_case")


def no_internal_words(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert not INTERNAL.search(text), INTERNAL.search(text)


def test_a_named_complainant_complains_follows_the_case_and_reads_the_decision(
    page: Page, live_server, organisation, case_officer
) -> None:
    base = live_server.url
    page.goto(f"{base}/")
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_role("heading", name="Your complaint")).to_be_visible()
    page.get_by_label("Your full name").fill("Priya Callender")
    page.get_by_label("Your email address").fill("priya@example.invalid")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Full name", exact=True).fill("Rowan Ashby")
    page.get_by_label("What kind of behaviour").select_option(label="Bullying or harassment")
    page.get_by_label("A post or publication").check()
    page.locator("#id_conduct_date-day").fill("3")
    page.locator("#id_conduct_date-month").fill("13")  # a slip
    page.locator("#id_conduct_date-year").fill("2026")
    page.get_by_label("Link to the post or page (if there is one)").fill(
        "https://social.example/rowan/posts/77"
    )
    page.get_by_label("Tell us what happened").fill("Posted a cartoon mocking a volunteer.")
    page.get_by_label("A screenshot or file (optional)").set_input_files(
        {"name": "the-post.png", "mimeType": "image/png", "buffer": png()}
    )
    page.get_by_role("button", name="Continue").click()

    # The slip is explained, in GOV.UK's words, and the date is changed where it was typed.
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date must be a real date.")
    assert_accessible(page, context="complaint form with a date error")
    page.get_by_role("link", name="The date must be a real date.").click()
    expect(page.locator("#id_conduct_date-day")).to_be_focused()
    page.locator("#id_conduct_date-month").fill("3")
    page.get_by_label("A screenshot or file (optional)").set_input_files(
        {"name": "the-post.png", "mimeType": "image/png", "buffer": png()}
    )
    page.get_by_role("button", name="Continue").click()

    # Checking the answers: nothing is received yet, and each answer can be changed.
    expect(
        page.get_by_role("heading", name="Check your answers before sending your complaint")
    ).to_be_visible()
    answers = page.locator("main")
    for words in ("Priya Callender", "Rowan Ashby", "Bullying or harassment", "3 March 2026"):
        expect(answers).to_contain_text(words)
    expect(answers).to_contain_text("the-post.png")
    assert Complaint.objects.count() == 0
    assert_accessible(page, context="check your answers")
    page.get_by_role("link", name="Change what happened").click()
    page.get_by_label("Tell us what happened").fill(
        "Posted a cartoon mocking a volunteer, and shared it in the branch group."
    )
    expect(page.locator(".govuk-inset-text")).to_contain_text("You attached the-post.png")
    page.get_by_role("button", name="Continue").click()
    expect(answers).to_contain_text("shared it in the branch group")
    page.get_by_role("button", name="Send complaint").click()

    expect(page.get_by_role("heading", name="Complaint received")).to_be_visible()
    assert_accessible(page, context="complaint received")
    reference = page.locator("#complaint-reference").inner_text().strip()
    assert reference.startswith("FH")
    case = Case.objects.get(complaints__reference=reference)

    # The acknowledgement gives the reference and a proof that works at once.
    (acknowledgement,) = mail.outbox
    assert reference in acknowledgement.subject
    proof = re.search(r"http://\S+/ledger/proofs/inclusion\?seq=\d+", str(acknowledgement.body))
    assert proof
    page.goto(proof.group(0).replace("http://127.0.0.1:8000", base))
    expect(page.get_by_role("heading", name="Your entry in the record")).to_be_visible()
    assert_accessible(page, context="proof page")

    # Following the case with the reference they were given (the complaint's).
    page.goto(f"{base}/")
    page.get_by_role("link", name="Follow your case").first.click()
    page.get_by_label("Your reference").fill(reference.lower())  # as they might type it
    page.get_by_label("Your email address").fill("priya@example.invalid")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    link = re.search(r"http://\S+/portal/sign-in/[^/\s]+/", str(mail.outbox[-1].body))
    assert link
    page.goto(link.group(0).replace("http://127.0.0.1:8000", base))
    page.get_by_role("button", name="Continue to my case").click()
    expect(page.locator("#portal-reference")).to_have_text(case.reference)
    evidence = page.get_by_test_id("portal-evidence")
    expect(evidence).to_have_count(2)
    expect(evidence.first).to_contain_text("Social-media post")
    expect(evidence.first).to_contain_text("https://social.example/rowan/posts/77")
    expect(evidence.last).to_contain_text("File")
    expect(page.locator("main")).to_contain_text("Acknowledged")
    no_internal_words(page)
    assert_accessible(page, context="complainant's portal page")

    # The case team decides; the complainant reads it by email and on the page, in words.
    for transition, reasons in (
        ("begin_assessment", "The complaint is within the code's scope."),
        ("assess_no_further_action", "The cartoon is in poor taste but breaches no rule."),
    ):
        case_transition(
            actor=case_officer,
            case=case,
            transition=transition,
            reasons=reasons,
            rule_applied="Procedure 3.1",
        )
    notifications_send_pending()
    # The last email but the survey's invitation, which follows it.
    closed = [m for m in mail.outbox if "/survey/" not in str(m.body)][-1]
    assert closed.to == ["priya@example.invalid"]
    assert "Assessment: no further action" in str(closed.body)
    assert "appeal" not in str(closed.body).lower()
    page.reload()
    decisions = page.locator(".govuk-summary-card__title")
    expect(decisions.last).to_contain_text("Assessment: no further action")
    expect(page.locator("#portal-stage")).to_have_text("Closed")
    no_internal_words(page)

    page.get_by_role("button", name="Sign out of your case").click()
    expect(page.locator("main")).to_contain_text("signed out")
    page.goto(f"{base}/portal/cases/{case.reference}/")
    expect(page.locator("#portal-reference")).to_have_count(0)
