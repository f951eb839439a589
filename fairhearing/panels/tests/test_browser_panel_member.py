"""A panel member's journey in a real browser: they sign in to their panels; a case opened
before affirming asks them to affirm; they step aside from one case (and are replaced) and
affirm on another; they read that case and its hearing bundle, then vote with a sanction that
ends, once. Every page is checked with axe-core; what the member reads is asserted at each
step, in the rulebook's words (never its keys)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhearing.cases.models import Case
from fairhearing.conftest import PASSWORD, TO_HEARING, hearing_took_place
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in
from fairhearing.demo.panels import panel_pool_ensure
from fairhearing.evidence.services import Upload, evidence_add_file
from fairhearing.interests.models import Recusal
from fairhearing.oversight.models import AccessAttempt
from fairhearing.panels.models import Panel, Seat, Vote
from fairhearing.panels.queries import active_seats
from fairhearing.panels.services import panel_constitute, panel_draw, seat_affirm
from fairhearing.workflow.services import case_schedule_hearing, case_transition

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]

SNAKE_CASE = re.compile(r"\b[A-Za-z]+_[A-Za-z_]+\b")


def at_hearing(case: Case, officer) -> Case:
    """The case at its hearing stage, the hearing fixed three weeks ahead (no panel yet);
    each decision on the way has reasons in words, as a case officer writes them."""
    for transition in TO_HEARING:
        label = case.rulebook.spec.transitions[transition].label
        case_transition(
            actor=officer,
            case=case,
            transition=transition,
            reasons=f"The case officer's reasons for: {label}.",
            rule_applied="Complaints procedure",
        )
    case_schedule_hearing(
        actor=officer, case=case, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    case.refresh_from_db()
    return case


def panels_sharing_a_member(first: Case, second: Case, officer) -> tuple[Panel, Panel, int]:
    """Hearing panels for both cases (reproducible draws) with one member on both."""
    one = panel_draw(actor=officer, case=first, kind="hearing", seed=11)
    members = set(one.seats.values_list("user_id", flat=True))
    for seed in range(1, 200):
        two = panel_draw(actor=officer, case=second, kind="hearing", seed=seed)
        shared = members & set(two.seats.values_list("user_id", flat=True))
        if shared:
            return one, two, min(shared)
        Seat.objects.filter(panel=two).delete()
        two.delete()
    raise AssertionError("no seed draws a shared member")


def no_internal_words(page: Page) -> None:
    """No key (snake_case, whatever its capitals) and no `None` in what the member reads."""
    text = page.locator("main").inner_text()
    assert "None" not in text.split(), page.url
    found = [m for m in SNAKE_CASE.findall(text) if "@" not in m]
    assert not found, f"snake_case on {page.url}: {found}"


def test_a_panel_member_steps_aside_from_one_case_and_votes_on_another(
    page: Page, live_server, organisation, case_officer, make_complaint
) -> None:
    base = live_server.url
    panel_pool_ensure(organisation, password=PASSWORD)
    stepped = at_hearing(make_complaint(respondents=("Rowan Ashby",)).cases.get(), case_officer)
    heard = at_hearing(
        make_complaint(
            respondents=("Tamsin Greaves",),
            category="online_abuse",
            summary="Repeated messages to a new member in April.",
            conduct_date=dt.date(2026, 4, 9),
        ).cases.get(),
        case_officer,
    )
    evidence_add_file(
        actor=case_officer,
        case=heard,
        upload=Upload("messages.txt", b"Transcript of the messages sent in April."),
        description="Transcript of the messages",
    )
    stepped_panel, heard_panel, member_id = panels_sharing_a_member(stepped, heard, case_officer)
    member = stepped_panel.seats.get(user_id=member_id).user

    # Signed in, the member lands on their panels: both cases wait for them to affirm.
    sign_in(page, base, member.username)
    expect(page.get_by_role("heading", name="Your panels", level=1)).to_be_visible()
    for case in (stepped, heard):
        expect(
            page.get_by_role("link", name=f"Check for conflicts and affirm for {case.reference}")
        ).to_be_visible()
    no_internal_words(page)
    assert_accessible(page, context="your panels")
    snapshot(page, "panel-member-your-panels")

    # A case opened before affirming says what to do (not "page not found").
    response = page.goto(f"{base}/cases/{stepped.reference}/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Do you have a conflict of interest?")).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Before you read the case, confirm that you have no conflict of interest, or step aside."
    )
    expect(page.locator("main")).to_contain_text("Rowan Ashby")  # the people to check
    assert_accessible(page, context="affirm, sent from the case")
    snapshot(page, "panel-member-affirm")

    # They know Rowan Ashby: they step aside, with reasons.
    page.get_by_role("link", name="Step aside from this case").click()
    expect(page.get_by_role("heading", name="Step aside from this case")).to_be_visible()
    expect(page.locator(".govuk-back-link")).to_have_text("Your panels")
    assert_accessible(page, context="step aside")
    snapshot(page, "panel-member-step-aside")
    page.get_by_role("button", name="Step aside").click()  # no reasons
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, context="step aside with an error")
    page.get_by_label("Reasons").fill("Rowan Ashby and I sat on the same branch committee.")
    page.get_by_role("button", name="Step aside").click()
    expect(page.get_by_role("heading", name="Your panels", level=1)).to_be_visible()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You have stepped aside from {stepped.reference}."
    )
    expect(page.locator("main table")).not_to_contain_text(stepped.reference)
    expect(page.locator("main table")).to_contain_text(heard.reference)
    assert_accessible(page, context="your panels after stepping aside")
    assert Recusal.objects.filter(case=stepped, user=member).exists()

    # The case officer fills the empty seat by a fresh draw: someone else sits.
    panel_constitute(actor=case_officer, case=stepped, kind="hearing")
    sitting = list(active_seats(stepped_panel).values_list("user_id", flat=True))
    assert len(sitting) == 3 and member.pk not in sitting

    # The case no longer opens to them, and the attempt is on the record.
    response = page.goto(f"{base}/cases/{stepped.reference}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Rowan Ashby")
    assert_accessible(page, context="a case they stepped aside from")
    assert AccessAttempt.objects.filter(user=member, case=stepped).exists()

    # The other case: they check the people involved and affirm.
    page.goto(f"{base}/panels/")
    page.get_by_role("link", name=f"Check for conflicts and affirm for {heard.reference}").click()
    expect(page.locator("main")).to_contain_text("Tamsin Greaves")
    page.get_by_role("button", name="I affirm I have no conflict").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Affirmed: you can now read the case."
    )
    expect(page.locator("#case-reference")).to_have_text(heard.reference)
    expect(page.locator("#case-stage")).to_have_text("Hearing")
    expect(page.locator("main")).to_contain_text("Repeated messages to a new member in April.")
    expect(page.locator("#panels")).to_contain_text(f"{member.display_name}")
    # A panel member reads the case; the case team's decisions are not theirs to take.
    expect(page.get_by_role("link", name="Record that the hearing was held")).to_have_count(0)
    expect(page.locator("#letters-waiting")).to_contain_text("the case team is to post")
    expect(page.locator("main")).not_to_contain_text("print these letters")
    no_internal_words(page)
    assert_accessible(page, context="case page, read by a panel member")
    snapshot(page, "panel-member-case")

    # The hearing bundle: the evidence, one PDF.
    page.get_by_role("link", name="See the evidence").click()
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    expect(page.locator("#evidence-items")).to_contain_text("Transcript of the messages")
    expect(page.get_by_role("link", name="Add a file")).to_have_count(0)
    assert_accessible(page, context="evidence, read by a panel member")
    with page.expect_download() as download:
        page.get_by_role("link", name="Bundle for the panel (PDF)").click()
    bundle = download.value
    assert bundle.suggested_filename == f"bundle-{heard.reference}-panel.pdf"
    with open(bundle.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The other members affirm. Before the hearing there is nothing to vote on, and the
    # page says when there will be.
    for seat in active_seats(heard_panel).exclude(user=member):
        seat_affirm(actor=seat.user, seat=seat)
    page.goto(f"{base}/panels/")
    page.get_by_role("link", name=f"Vote on {heard.reference}").click()
    expect(page.get_by_role("heading", name="Your vote")).to_be_visible()
    hearing_at = timezone.localtime(heard.hearing_at)
    expect(page.locator("#nothing-to-vote")).to_have_text(
        "The panel votes once the hearing has been held. It is scheduled for "
        f"{hearing_at.day} {hearing_at:%B %Y at %H:%M}."
    )
    expect(page.get_by_role("button", name="Record my vote")).to_have_count(0)
    assert_accessible(page, context="vote page before the hearing")
    snapshot(page, "panel-member-vote-before-hearing")

    # The hearing is held; now they vote.
    hearing_took_place(heard)
    case_transition(
        actor=case_officer,
        case=heard,
        transition="hearing_held",
        reasons="Hearing held; both sides heard.",
        rule_applied="Procedure 6",
    )
    page.reload()
    spec = heard.rulebook.spec
    options = [o.strip() for o in page.locator(".govuk-radios__label").all_inner_texts()]
    assert options == [
        spec.transitions["decide_upheld"].label,
        spec.transitions["decide_not_upheld"].label,
    ]
    assert options == [
        "Decision: allegations upheld, with sanction",
        "Decision: allegations not upheld",
    ]
    sanctions = page.get_by_label("Sanction (only if you uphold the allegations)")
    expect(sanctions.locator("option:checked")).to_have_text("Choose a sanction")
    assert sanctions.locator("option").all_inner_texts()[1:] == [
        s.label for s in spec.sanctions.values()
    ]
    no_internal_words(page)
    assert_accessible(page, context="vote form")
    snapshot(page, "panel-member-vote")

    page.get_by_label("Decision: allegations upheld, with sanction").check()
    sanctions.select_option(label="Suspension")
    page.get_by_label("Your reasons").fill("The messages were unwanted and persistent.")
    page.get_by_role("button", name="Record my vote").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date “Suspension” ends."
    )
    assert_accessible(page, context="vote form, no end date")
    assert not Vote.objects.filter(seat__user=member).exists()

    ends = timezone.localdate() + dt.timedelta(days=180)
    expect(page.get_by_label("Decision: allegations upheld, with sanction")).to_be_checked()
    expect(sanctions.locator("option:checked")).to_have_text("Suspension")
    page.get_by_label("Sanction ends on").fill(ends.isoformat())
    page.get_by_role("button", name="Record my vote").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your vote is recorded."
    )
    ending = f"{ends.day} {ends:%B %Y}"
    own_row = page.locator("#panels tr", has_text=member.display_name)
    expect(own_row).to_contain_text(
        f"Decision: allegations upheld, with sanction (Suspension, ending {ending})"
    )
    no_internal_words(page)
    assert_accessible(page, context="case page after voting")

    # A vote cannot be cast twice: the page says what they voted, with no form.
    page.goto(f"{base}/panels/")
    page.get_by_role("link", name=f"Vote on {heard.reference}").click()
    expect(page.locator("#vote-recorded")).to_have_text(
        "You voted: Decision: allegations upheld, with sanction "
        f"(Suspension, ending {ending}). A vote cannot be changed."
    )
    expect(page.get_by_role("button", name="Record my vote")).to_have_count(0)
    assert_accessible(page, context="vote page after voting")
    snapshot(page, "panel-member-voted")
    vote = Vote.objects.get(seat__user=member)
    assert (vote.transition, vote.sanction, vote.sanction_ends_on) == (
        "decide_upheld",
        "suspension",
        ends,
    )
