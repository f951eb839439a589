"""The confidence survey in a real browser: a party opens the link from their email, sends it
incomplete (errors first), then answered; the link then says it was used; the published
statistics show the answers; oversight reads a past quarter's comments. axe-core checks each
page."""

import datetime as dt
import os
import random
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhearing.accounts.models import Role as UserRole
from fairhearing.conftest import make_user, walk
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.people.models import Person
from fairhearing.reporting.queries import period_of
from fairhearing.reporting.services import report_publish
from fairhearing.surveys.models import QUESTIONS, Answer, Level

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_a_party_answers_the_survey_from_their_email(
    page: Page, live_server, organisation, make_complaint, case_officer, settings, tmp_path
) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"
    case = make_complaint().cases.get()
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    walk(
        case,
        case_officer,
        "acknowledge",
        "begin_assessment",
        "assess_investigate",
        "reply_received",
        "complete_investigation",
        "charge_no_further_action",
    )
    notifications_send_pending()  # if the worker has not already (on commit)
    (message,) = [
        m for m in mail.outbox if "/survey/" in str(m.body) and m.to == ["rowan@example.invalid"]
    ]
    found = re.search(r"https?://\S+(/survey/[A-Za-z0-9_-]+/)", str(message.body))
    assert found is not None
    link = live_server.url + found.group(1)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("How was your complaint handled?")
    assert_accessible(page, context="the survey")
    page.get_by_role("group", name="I was treated fairly").get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "Select how far you agree that the process was explained to me clearly."
    )
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page, context="the survey, with errors")
    snapshot(page, "survey-errors")

    for label, answer in (
        ("The process was explained to me clearly", "Strongly agree"),
        ("I was kept informed about my case", "Disagree"),
        ("I have confidence in the complaints process", "Neither agree nor disagree"),
    ):
        page.get_by_role("group", name=label).get_by_label(answer, exact=True).check()
    page.get_by_label("Anything else you want to tell us (optional)").fill(
        "The hearing was well run, but I heard nothing for a month before it."
    )
    page.get_by_role("heading", level=1).click()  # out of the comments box
    snapshot(page, "survey")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")
    assert_accessible(page, context="the survey's thanks")
    snapshot(page, "survey-thanks")
    (given,) = Answer.objects.all()
    assert (given.fair, given.explained, given.informed, given.confidence) == (4, 5, 2, 3)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This survey has already been answered"
    )
    assert_accessible(page, context="a used survey link")
    snapshot(page, "survey-used")

    # Enough answers this quarter for both roles' tables, published.
    period = period_of(timezone.localdate())
    rng = random.Random(7)
    for n in range(24):
        Answer.objects.create(
            organisation=organisation,
            period=given.period,
            role="complainant" if n % 2 else "respondent",
            **{q: rng.choice(Level.values) for q in QUESTIONS},
        )
    report_publish(actor=None, organisation=organisation, period=period)
    page.goto(f"{live_server.url}/statistics/{period.name}/")
    survey = page.locator("#survey")
    expect(survey).to_have_text("Confidence in the process")
    expect(page.get_by_test_id("survey_complainant")).to_contain_text("I was treated fairly")
    expect(page.get_by_test_id("survey_respondent")).to_contain_text(
        "I have confidence in the complaints process"
    )
    expect(page.locator("main")).not_to_contain_text("heard nothing for a month")
    assert_accessible(page, context="the statistics with the survey")
    snapshot(page, "survey-statistics")
    if folder := os.environ.get("FAIRHEARING_SCREENSHOTS"):  # the survey's part, close up
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.locator("#survey-results").screenshot(
                path=str(Path(folder) / f"survey-statistics-part-{width}.png")
            )


def test_oversight_reads_the_comments_of_a_quarter_that_has_ended(
    page: Page, live_server, organisation
) -> None:
    make_user(organisation, "odile", UserRole.OVERSIGHT, first_name="Odile", last_name="Marr")
    ended = period_of(period_of(timezone.localdate()).starts_on - dt.timedelta(days=1)).name
    comments = [
        "The case officer explained every step before it happened.",
        "Nobody told me the hearing had moved until the day before.",
        "",
        "",
        "Clear letters, but it took too long.",
        "",
    ]
    for n, text in enumerate(comments):
        Answer.objects.create(
            organisation=organisation,
            period=ended,
            role="complainant" if n % 2 else "respondent",
            comments=text,
            **dict.fromkeys(QUESTIONS, 3),
        )
    sign_in(page, live_server.url, "odile")
    page.get_by_role("link", name="Survey comments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Confidence survey comments, {ended}"
    )
    expect(page.locator("#comments li")).to_have_count(3)
    expect(page.locator("main")).not_to_contain_text("Complainant")
    assert_accessible(page, context="survey comments")
    snapshot(page, "survey-comments")
