"""A case officer imports a dossier and reads its row report; then opens a case's evidence
and its related cases. Every page passes axe-core, with no CSP violation."""

import re

import pytest
from playwright.sync_api import Page, expect

from fairhearing.cases.models import Case
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in
from fairhearing.evidence.services import Upload, evidence_add_post
from fairhearing.evidence.tests.files import png
from fairhearing.people.models import person_hash
from fairhearing.workflow.services import case_assign

from .test_dossiers import POST, row, to_csv

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_staff_import_a_dossier_and_read_its_row_report(
    page: Page, live_server, organisation, case_officer
) -> None:
    base = live_server.url
    sign_in(page, base, case_officer.username)
    page.get_by_role("link", name="Dossiers").click()
    expect(page.get_by_role("heading", name="Dossiers")).to_be_visible()
    assert_accessible(page, context="dossier upload")
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, context="dossier upload with errors")

    data = to_csv(
        [
            row("Ada One", url="https://x.com/adaone/status/1", post_text=POST),
            row("Bo Two", category="gossip"),
            row("Ada One", url="https://twitter.com/adaone/status/1"),
            row("Cy Three; Di Four", description="Both shouted down the chair."),
        ]
    )
    page.get_by_label("Which organisation sent it?").fill("Campaign for Fair Branches")
    page.get_by_label("Dossier file").set_input_files(
        {"name": "campaign.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("#dossier-counts")).to_have_text("2 accepted, 0 duplicates, 2 rejected")
    expect(page.locator("#dossier-status")).to_have_text("Imported")
    expect(page.locator('tr[data-row="2"]')).to_contain_text("Unknown category 'gossip'")
    expect(page.locator('tr[data-row="3"]')).to_contain_text("Duplicate row: the same as row 1.")
    expect(page.locator('tr[data-row="4"]')).to_contain_text(
        re.compile(r"2 cases opened: \S+ \(Cy Three\), \S+ \(Di Four\)")
    )
    assert_accessible(page, context="dossier row report")
    snapshot(page, "dossier-row-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the row report").click()
    report = download.value.path().read_text()
    assert report.splitlines()[0].startswith("row,status,outcome,case,duplicate_of,reasons")

    case = Case.objects.get(respondent__full_name_hash=person_hash("full_name", "Ada One"))
    case_assign(actor=None, case=case, user=case_officer, role="case_officer")
    evidence_add_post(
        actor=None, case=case, captured_text="Another capture.", screenshot=Upload("s.png", png())
    )
    page.locator('tr[data-row="1"]').get_by_role("link", name=case.reference).click()
    page.get_by_role("link", name="See and add evidence").click()
    expect(page.locator("#evidence-items")).to_contain_text(POST[:40])
    assert_accessible(page, context="evidence list")
    page.get_by_role("link", name="Add a file").click()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "page.html", "mimeType": "text/html", "buffer": b"<script>alert(1)</script>"}
    )
    page.get_by_label("What is it?").fill("A web page")
    page.get_by_role("button", name="Add the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("web page or script content")
    assert_accessible(page, context="evidence upload refused")
    page.goto(f"{base}/cases/{case.reference}/evidence/post/")
    assert_accessible(page, context="post capture form")
    page.goto(f"{base}/cases/{case.reference}/related/")
    expect(page.get_by_role("heading", name="Related cases")).to_be_visible()
    assert_accessible(page, context="related cases")
