"""Two demo cases that each show one thing: conduct older than the rulebook's time limit,
and an anonymous report that its reporter follows with a receipt code."""

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from fairhearing.accounts.models import User
from fairhearing.cases.models import AllegationType, Assignment, Case, Channel
from fairhearing.evidence.services import Upload
from fairhearing.intake.anonymous import anonymous_report_submit, reporter_message_send
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.receipts import receipt_code_parse
from fairhearing.intake.record import complaint_record
from fairhearing.organisations.models import Organisation
from fairhearing.people.services import PersonDetails
from fairhearing.portal.models import PartyRole
from fairhearing.portal.services import message_send
from fairhearing.workflow.services import case_assign, case_transition

from .data import BRANCHES, DEMO_RECEIPT, REASONS, TO_HEARING

RULEBOOK_RULE = "Complaints procedure, rulebook v1"


def old_conduct_demo(organisation: Organisation, users: dict[str, User]) -> Case:
    """A complaint about a post from seven years ago, investigated and now at the charge
    decision: the rulebook's time limit bars a referral to a panel (R-29), and the case page
    says so, offering oversight the exception route."""
    officer = users["officer"]
    today = timezone.localdate()
    case = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="Nerys Ambrose", email="nerys@example.invalid"),
        respondents=[
            PersonDetails(
                full_name="Lowell Pritchard",
                email="lowell@example.invalid",
                is_member=True,
                membership_number="M190001",
                branch_name=BRANCHES[0],
            )
        ],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="racism",
            description="A post on a public page mocking a community's accent and customs.",
            conduct_date=today.replace(year=today.year - 7, day=1),
        ),
        summary="A post from years ago, found and reported this month.",
    ).cases.get()
    case_assign(actor=None, case=case, user=officer, role=Assignment.Role.CASE_OFFICER)
    for step in TO_HEARING[:5]:
        words = step.replace("_", " ")
        case_transition(
            actor=officer,
            case=case,
            transition=step,
            reasons=REASONS.get(step, (f"Recorded by the case officer: {words}.", ""))[0],
            rule_applied=REASONS.get(step, ("", RULEBOOK_RULE))[1],
        )
    return case


def anonymous_demo(organisation: Organisation, officer: User) -> None:
    """An anonymous report with a screenshot, sent this morning, opened with `DEMO_RECEIPT`:
    the case officer has begun the assessment and asked the reporter a question."""

    image = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.text((16, 16), "Castlegate members (group chat)", fill="black")
    draw.text((16, 56), "Quentin Harrow: volunteers like her should know their place", fill="black")
    draw.text((16, 96), "[cartoon]", fill="grey")
    screenshot = io.BytesIO()
    image.save(screenshot, format="PNG")
    now = timezone.now()
    submitted = anonymous_report_submit(
        organisation=organisation,
        respondents=[PersonDetails(full_name="Quentin Harrow", branch_name="Castlegate")],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category=next(iter(organisation.current_rulebook().spec.categories)),
            description="Posted a cartoon mocking a volunteer in the branch group chat, with "
            "a comment that volunteers like her should know their place.",
            conduct_date=(now - dt.timedelta(days=2)).date(),
        ),
        summary="A cartoon and comment mocking a volunteer in the branch group chat.",
        upload=Upload("group-chat.png", screenshot.getvalue()),
        upload_description="Screenshot of the group chat",
        received_at=now - dt.timedelta(hours=3),
        code=receipt_code_parse(DEMO_RECEIPT),
    )
    report = submitted.report
    case = report.complaint.cases.get()
    with transaction.atomic():
        reporter_message_send(
            report=report,
            case=case,
            body="I am a member of the branch and would rather not be named. The chat has "
            "about 40 members.",
        )
        case_assign(actor=officer, case=case, user=officer, role=Assignment.Role.CASE_OFFICER)
        case_transition(
            actor=officer,
            case=case,
            transition="begin_assessment",
            reasons="Anonymous report with a screenshot: enough to assess.",
            rule_applied="Rulebook: assess every acknowledged complaint",
        )
        message_send(
            case=case,
            party_person=report.complaint.complainant,
            party_role=PartyRole.COMPLAINANT,
            body="Thank you for your report. Do you know roughly when the cartoon was posted, "
            "and whether anyone replied to it?",
            from_staff=officer,
        )
