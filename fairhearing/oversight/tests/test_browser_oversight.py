"""Oversight's journey in a real browser: signed in, they land on the interference register,
where two panel decisions in protected categories wait for verification. They read each in
people's words (the decision, its reasons, the rule applied, every member's vote and
sanction), verify one and veto the other with reasons; the case officer then sees what
oversight decided. They also find a refused attempt to open a case with the register's
filters. Every page is checked with axe-core."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Case
from fairhearing.conftest import PASSWORD, TO_HEARING, hearing_took_place, make_user, signed_in
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.error_summary import summary_out_of_order
from fairhearing.core.testing.pages import sign_in, sign_out
from fairhearing.demo.panels import panel_pool_ensure, panel_ready_for
from fairhearing.oversight.models import Verification
from fairhearing.panels.models import Vote
from fairhearing.workflow.services import case_schedule_hearing, case_transition

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]

SNAKE_CASE = re.compile(r"\b[A-Za-z]+_[A-Za-z_]+\b")


def no_internal_words(page: Page) -> None:
    """No key (snake_case, whatever its capitals) and no `None` in what the person reads."""
    text = page.locator("main").inner_text()
    assert "None" not in text.split(), page.url
    assert not SNAKE_CASE.findall(text), f"snake_case on {page.url}: {SNAKE_CASE.findall(text)}"


def step(case: Case, officer, transition: str, **extra) -> None:
    label = case.rulebook.spec.transitions[transition].label
    case_transition(
        actor=officer,
        case=case,
        transition=transition,
        reasons=f"The case officer's reasons for: {label}.",
        rule_applied="Complaints procedure",
        **extra,
    )
    case.refresh_from_db()


def held_for_verification(case: Case, officer, decision: str, **sanction) -> Case:
    """The case heard, the panel voted (one member dissenting) and the decision recorded:
    in a protected category it is held for oversight (the rulebook's `verification`)."""
    for transition in TO_HEARING:
        step(case, officer, transition)
    case_schedule_hearing(
        actor=officer, case=case, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    panel_ready_for(case, officer, "hearing_held", password=PASSWORD)
    hearing_took_place(case)
    step(case, officer, "hearing_held")
    dissent = "decide_not_upheld" if decision == "decide_upheld" else "decide_upheld"
    panel_ready_for(
        case,
        officer,
        decision,
        password=PASSWORD,
        dissent=dissent,
        sanction=sanction.get("sanction", ""),
        sanction_ends_on=sanction.get("sanction_ends_on"),
    )
    case_transition(
        actor=officer,
        case=case,
        transition=decision,
        reasons="Proven on the balance of probabilities: the post names the community and mocks it."
        if decision == "decide_upheld"
        else "Not proven: the account was shared by several people.",
        rule_applied="Code of Conduct CC-1.3",
        **sanction,
    )
    case.refresh_from_db()
    assert case.stage == "verification"
    return case


def test_oversight_verifies_one_decision_vetoes_another_and_finds_a_refused_attempt(
    page: Page, live_server, organisation, case_officer, governing_member, make_complaint
) -> None:
    base = live_server.url
    odile = make_user(
        organisation, "odile", Role.OVERSIGHT, first_name="Odile", last_name="Marchetti"
    )
    governing_member.first_name, governing_member.last_name = "Gideon", "Farrow"
    governing_member.save(update_fields=["first_name", "last_name"])
    panel_pool_ensure(organisation, password=PASSWORD)
    ends = timezone.localdate() + dt.timedelta(days=200)
    upheld = held_for_verification(
        make_complaint(category="racism").cases.get(),
        case_officer,
        "decide_upheld",
        sanction="suspension",
        sanction_ends_on=ends,
    )
    not_upheld = held_for_verification(
        make_complaint(
            category="antisemitism",
            respondents=("Tamsin Greaves",),
            summary="A speech at the May branch meeting.",
            conduct_date=dt.date(2026, 5, 12),
        ).cases.get(),
        case_officer,
        "decide_not_upheld",
    )
    # A governing-body member tries to open a case: refused, and recorded.
    assert signed_in(governing_member).get(f"/cases/{upheld.reference}/").status_code == 404
    ending = f"{ends.day} {ends:%B %Y}"

    # Signed in, oversight lands on the register, the held decisions on top.
    sign_in(page, base, odile.username)
    expect(page.get_by_role("heading", name="Interference register", level=1)).to_be_visible()
    pending = page.locator("#pending")
    expect(pending).to_contain_text("2 decisions held for your verification")
    expect(pending).to_contain_text(
        f"{upheld.reference}: Decision: allegations upheld, with sanction, held since"
    )
    expect(pending).to_contain_text(f"{not_upheld.reference}: Decision: allegations not upheld")
    no_internal_words(page)
    assert_accessible(page, context="register with decisions held")
    snapshot(page, "oversight-register")

    # The upheld decision, in people's words, with every member's vote.
    pending.get_by_role("link", name=upheld.reference).click()
    expect(page.get_by_role("heading", name="Verify or veto the panel's decision")).to_be_visible()
    held = page.locator(".govuk-summary-list")
    expect(held).to_contain_text("Decision: allegations upheld, with sanction")
    expect(held).to_contain_text("Proven on the balance of probabilities")
    expect(held).to_contain_text("Code of Conduct CC-1.3")
    expect(page.locator("#held-sanction")).to_have_text(f"Suspension, ending {ending}")
    rows = page.locator("#votes tbody tr")
    expect(rows).to_have_count(3)
    for vote in Vote.objects.filter(panel__case=upheld).select_related("seat__user"):
        row = page.locator("#votes tbody tr", has_text=vote.seat.user.display_name)
        if vote.transition == "decide_upheld":
            expect(row).to_contain_text("Decision: allegations upheld, with sanction")
            expect(row).to_contain_text(f"Suspension, ending {ending}")
        else:
            expect(row).to_contain_text("Decision: allegations not upheld")
            expect(row).to_contain_text("No sanction")
        expect(row).to_contain_text(vote.reasons)
    expect(rows.filter(has_text="(chair)")).to_have_count(1)
    expect(page.get_by_label("Verify: the decision takes effect")).to_be_visible()
    no_internal_words(page)
    assert_accessible(page, context="verify or veto")
    snapshot(page, "oversight-verify")

    page.get_by_role("button", name="Record").click()  # nothing chosen
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose whether to verify or veto.")
    expect(summary).to_contain_text("Give your reasons.")
    assert summary_out_of_order(page.content()) == ""
    assert_accessible(page, context="verify or veto, with errors")

    page.get_by_label("Verify: the decision takes effect").check()
    page.get_by_label("Reasons").fill("The panel applied the adopted definition and gave reasons.")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Decision verified."
    )
    expect(page.locator("#case-stage")).to_have_text("Appeal window")
    expect(page.get_by_test_id("oversight-decision")).to_contain_text(
        "Oversight verified the panel's decision (Decision: allegations upheld, with sanction)"
    )
    assert_accessible(page, context="case page after verifying")

    # The other: vetoed, with reasons; a fresh panel will hear it.
    page.get_by_role("link", name="Interference register").click()
    expect(page.locator("#pending")).to_contain_text("1 decision held for your verification")
    page.locator("#pending").get_by_role("link", name=not_upheld.reference).click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Decision: allegations not upheld")
    expect(page.locator("#held-sanction")).to_have_count(0)
    page.get_by_label("Veto: a fresh panel hears the case").check()
    page.get_by_label("Reasons").fill("The panel did not address the respondent's evidence.")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision vetoed.")
    expect(page.locator("#case-stage")).to_have_text("Hearing")

    # The register keeps both decisions, with oversight's reasons.
    page.get_by_role("link", name="Interference register").click()
    expect(page.locator("#pending")).to_have_count(0)
    page.get_by_test_id("kind-verifications").click()
    held_table = page.get_by_test_id("verifications")
    expect(held_table.locator("tr", has_text=upheld.reference)).to_contain_text("Verified")
    expect(held_table.locator("tr", has_text=not_upheld.reference)).to_contain_text("Vetoed")
    expect(held_table).to_contain_text("The panel did not address the respondent's evidence.")
    no_internal_words(page)
    assert_accessible(page, context="register: decisions held")

    # The refused attempt, found with the filters.
    page.get_by_test_id("kind-attempts").click()
    attempts = page.get_by_test_id("attempts")
    expect(attempts).to_contain_text("Gideon Farrow")
    page.get_by_text("Filter the register").click()
    page.get_by_label("Who").select_option(label="Gideon Farrow")
    page.get_by_label("Role").select_option(label="Governing body")
    page.get_by_label("What was tried (refused attempts)").select_option(label="Open a case")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#register-count")).to_have_text("1 entry matches the filters.")
    row = page.get_by_test_id("attempts").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Gideon Farrow")
    expect(row).to_contain_text("Governing body")
    expect(row).to_contain_text(upheld.reference)
    expect(row).to_contain_text("Open a case")
    no_internal_words(page)
    assert_accessible(page, context="register: attempts, filtered")
    snapshot(page, "oversight-attempts")

    page.get_by_label("Role").select_option(label="Case officer")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#register-count")).to_have_text("No entries match the filters.")
    sign_out(page)

    # The case officer sees what oversight decided, and why.
    sign_in(page, base, case_officer.username)
    page.goto(f"{base}/cases/{upheld.reference}/")
    expect(page.locator("#case-stage")).to_have_text("Appeal window")
    decided = page.get_by_test_id("oversight-decision")
    expect(decided).to_contain_text(
        "Oversight verified the panel's decision (Decision: allegations upheld, with sanction)"
    )
    expect(decided).to_contain_text("Odile Marchetti")
    expect(decided).to_contain_text("The panel applied the adopted definition and gave reasons.")
    no_internal_words(page)
    assert_accessible(page, context="case officer: verified decision")
    snapshot(page, "oversight-officer-verified")
    page.goto(f"{base}/cases/{not_upheld.reference}/")
    expect(page.locator("#case-stage")).to_have_text("Hearing")
    expect(page.get_by_test_id("oversight-decision")).to_contain_text(
        "Oversight vetoed the panel's decision (Decision: allegations not upheld)"
    )
    expect(page.get_by_test_id("oversight-decision")).to_contain_text(
        "a fresh panel hears the case"
    )
    assert_accessible(page, context="case officer: vetoed decision")
    snapshot(page, "oversight-officer-vetoed")

    statuses = dict(Verification.objects.values_list("case__reference", "status"))
    assert statuses == {upheld.reference: "verified", not_upheld.reference: "vetoed"}
