"""File notes and the stage checklist in a real browser: an officer adds a note (an empty one
first, which the error summary names), shares it with the respondent with reasons, and ticks a
check of the notice stage in the next-step panel. axe-core checks each state, at 1280 px and
at 390 px (no sideways scrolling of the page)."""

import pytest
from playwright.sync_api import Page, expect

from fairhearing.core.testing.browser import assert_accessible
from fairhearing.core.testing.pages import sign_in
from fairhearing.ledger.models import Event, EventKind
from fairhearing.notes.models import FileNote

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]

NOTE = "Rang the complainant: she will send the screenshots she still has."


def test_an_officer_adds_a_note_shares_it_and_ticks_a_check(
    page: Page, live_server, on_team, case_officer
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, case_officer.username)
    page.goto(f"{live_server.url}/cases/{on_team.reference}/")
    sections = page.get_by_role("navigation", name="Parts of this case")
    sections.get_by_role("link", name="File notes").click()
    notes = page.locator("#file-notes")
    expect(notes).to_contain_text("No file notes yet.")
    expect(page.locator("#checks-progress")).to_have_text("0 of 3 checks done: see the checklist")
    assert_accessible(page, context="case page with its notes and checklist")

    # Nothing written: the error summary names the note.
    notes.get_by_role("button", name="Add note").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write the note.")
    assert_accessible(page, context="add a note, with an error")
    page.get_by_label("Add a file note").fill(NOTE)
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("File note added.")
    expect(page.get_by_test_id("file-note")).to_contain_text(NOTE)
    expect(page.get_by_test_id("file-note")).to_contain_text("Olwen Tarrant")

    # Shared with the respondent: a decision with reasons.
    page.get_by_role("link", name="Share with the parties").click()
    expect(page.get_by_role("heading", name="Share a file note with the parties")).to_be_visible()
    assert_accessible(page, context="share a note")
    page.get_by_label("The respondent", exact=True).check()
    page.get_by_label("Why share it?").fill("The respondent asked what evidence is to come.")
    page.get_by_role("button", name="Share the note").click()
    expect(page.get_by_test_id("note-shared")).to_contain_text("Shared with the respondent")
    assert FileNote.objects.get().disclosed_to == "respondent"

    # A check ticked in the next-step panel: who and when shows beside it.
    panel = page.locator("#next-step")
    panel.get_by_label("Notice of allegations sent to the respondent").check()
    panel.get_by_role("button", name="Save the checklist").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Checklist saved: 1 of 3 checks done."
    )
    expect(page.locator("#check-notice_sent")).to_be_checked()
    expect(page.locator("#check-notice_sent-hint")).to_contain_text("Olwen Tarrant")
    expect(page.locator("#checks-progress")).to_contain_text("1 of 3 checks done")
    expect(page.locator("#expected-action")).to_be_visible()  # the checklist holds nothing up
    assert Event.objects.filter(kind=EventKind.CHECKLIST_TICKED).count() == 1
    assert_accessible(page, context="case page with a check ticked")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    assert_accessible(page, context="case page at 390 px")
