"""Redacting a screenshot in a real browser: with a complainant's identity protected, the
evidence list names the screenshot to check; the officer follows it to "Redact item", draws a
box over the complainant's name with the mouse (the script writes the area into the form),
sends it without reasons first (the error summary names the field), then with reasons; the
item's page shows the copy, its hash and the chain of custody, and the list no longer asks.
The copy is black where the box was drawn. axe-core checks each page at 1280 px and 390 px."""

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from fairhearing.cases.services import party_protect_identity
from fairhearing.core.testing.browser import snapshot
from fairhearing.core.testing.pages import sign_in
from fairhearing.evidence import services
from fairhearing.evidence.derivative import Area
from fairhearing.evidence.queries import redaction_of
from fairhearing.evidence.storage import blob_read
from fairhearing.workflow.services import case_assign

from .test_browser_capture import narrow_too
from .test_redaction import secret_png, under

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_an_officer_draws_a_box_and_the_copy_is_black_there(
    page: Page, live_server, case, case_officer
) -> None:
    case_assign(actor=None, case=case, user=case_officer, role="case_officer")
    item = services.evidence_add_file(
        actor=case_officer,
        case=case,
        upload=services.Upload("shot.png", secret_png((800, 600))),
        description="Screenshot of the branch group, naming the complainant",
    )
    party_protect_identity(
        actor=case_officer,
        party=case.parties.get(role="complainant"),
        reason="She fears reprisals in the branch.",
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, case_officer.username)
    # The evidence list names the picture to check before the respondent's bundle goes out.
    page.goto(f"{live_server.url}/cases/{case.reference}/evidence/")
    expect(page.locator("#disclosure-check")).to_contain_text("identity is protected")
    narrow_too(page, "evidence list, a picture to check")
    snapshot(page, "evidence-list-to-check")
    page.get_by_role("link", name=f"Item {item.number}: Screenshot of the branch group").click()
    expect(
        page.get_by_role("heading", name=f"Redact item {item.number} for disclosure")
    ).to_be_visible()

    # Draw over the band (10% to 60% across, 20% to 50% down) with the mouse.
    canvas = page.locator(".fh-redact-canvas").first
    expect(canvas.locator("img")).to_be_visible()
    page.wait_for_function("document.querySelector('.fh-redact-canvas img').complete")
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.08, box["y"] + box["height"] * 0.18)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.35, steps=4)
    page.mouse.move(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.52, steps=4)
    page.mouse.up()
    areas = page.get_by_label("Areas to cover")
    line = areas.input_value().strip()
    assert line.startswith("1 ") and len(line.split()) == 5, line
    expect(canvas.locator(".fh-redact-box")).to_have_count(1)
    # Deleting the line removes the box; typing it back draws it again.
    areas.fill("")
    expect(canvas.locator(".fh-redact-box")).to_have_count(0)
    areas.fill(line)
    expect(canvas.locator(".fh-redact-box")).to_have_count(1)

    page.get_by_role("button", name="Make the redacted copy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why these parts are withheld."
    )
    assert page.get_by_label("Areas to cover").input_value().strip() == line  # nothing lost
    narrow_too(page, "redaction form, with an error")
    snapshot(page, "redact-form-error")

    page.get_by_label("Why are these parts withheld?").fill(
        "The complainant's identity is protected."
    )
    page.get_by_role("button", name="Make the redacted copy").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Redacted copy of item")
    expect(page.locator("#redaction-summary")).to_contain_text(
        "The complainant's identity is protected."
    )
    expect(page.locator("#custody-table")).to_contain_text("Redacted copy made for disclosure")
    narrow_too(page, "item with its redacted copy")
    snapshot(page, "redacted-item")
    page.get_by_role("link", name="Back to the evidence").click()
    expect(page.locator("#disclosure-check")).to_have_count(0)
    expect(page.locator("#evidence-items")).to_contain_text("Redacted copy for the respondent")

    redaction = redaction_of(item)
    assert redaction is not None and redaction.blob_id is not None
    copy = Image.open(io.BytesIO(blob_read(redaction.blob_id)))
    band = Area(page=1, left=0.1, top=0.2, width=0.5, height=0.3)
    assert set(under(copy, band)) == {(0, 0, 0)}
