"""The governance side of the demo: a fictional review's recommendations, in several states,
and two governing-body meetings (one with its pack)."""

import csv
import datetime as dt
import io

from django.utils import timezone

from fairhearing.accounts.models import User
from fairhearing.organisations.models import Organisation
from fairhearing.reporting.models import Meeting
from fairhearing.reporting.services import meeting_pack_make, recommendations_import

REVIEW_RECOMMENDATIONS = [
    (
        "Publish the complaints procedure and its time limits",
        "General Secretary",
        "implemented",
        "Procedure published on the website and in the members' handbook.",
    ),
    (
        "Acknowledge every complaint within three working days",
        "Head of Complaints",
        "implemented",
        "Automatic acknowledgement with reference; breaches reported to each meeting.",
    ),
    (
        "Appoint an independent panel pool, chaired by lawyers",
        "Governing Body",
        "implemented",
        "Seven independent members appointed after open recruitment.",
    ),
    (
        "Train every handler and panel member before assignment",
        "Head of Governance",
        "implemented",
        "Training records are checked before every assignment and draw.",
    ),
    (
        "Record every approach about a case from outside the case team",
        "Head of Complaints",
        "implemented",
        "Approaches are recorded in the interference register.",
    ),
    (
        "Give office-holders no access to individual case files",
        "General Secretary",
        "implemented",
        "Refused attempts are recorded and reported as counts.",
    ),
    (
        "Publish quarterly statistics covering every complaint",
        "Head of Governance",
        "in_progress",
        "First two quarters published; appeal figures to follow.",
    ),
    (
        "Let respondents see the evidence and reply before any decision",
        "Head of Complaints",
        "implemented",
        "Respondent portal live; reply window of ten working days.",
    ),
    ("Offer informal resolution where proportionate", "Head of Complaints", "in_progress", ""),
    (
        "Track this review's recommendations publicly",
        "Governing Body",
        "implemented",
        "This tracker.",
    ),
    (
        "Adopt a definition of antisemitism with all its examples",
        "Governing Body",
        "in_progress",
        "",
    ),
    (
        "Have oversight verify decisions on protected characteristics",
        "Governing Body",
        "implemented",
        "Verification stage in the rulebook; vetoes go to a fresh panel.",
    ),
    (
        "End lifetime bans: every re-admission bar has an end",
        "General Secretary",
        "implemented",
        "Sanction ladder amended; expulsions carry an end date.",
    ),
    (
        "Anonymise closed cases after the retention period",
        "Data Protection Officer",
        "not_started",
        "",
    ),
    ("Encrypt special-category data at field level", "Data Protection Officer", "not_started", ""),
    ("Require two-factor sign-in for all staff and panel members", "Head of IT", "in_progress", ""),
    (
        "Update complainants at least every three months",
        "Head of Complaints",
        "implemented",
        "Automatic three-monthly updates while a case is open.",
    ),
    (
        "Report overdue cases to every governing-body meeting",
        "General Secretary",
        "implemented",
        "Meeting packs list overdue cases under anonymised references.",
    ),
    (
        "Allow an oral hearing with a companion on request",
        "Head of Complaints",
        "implemented",
        "Portal request; companion's unavailability moves the hearing up to 5 working days.",
    ),
    (
        "Create a separate suspension panel for interim measures",
        "Governing Body",
        "not_accepted",
        "Interim suspension is decided by the hearing panel's chair, with review dates instead.",
    ),
]


def governance_demo(organisation: Organisation, admin: User) -> None:
    """A fictional review with 20 recommendations in several states, and two meetings."""

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "text", "owner", "due_on", "status", "evidence"])
    today = timezone.localdate()
    for number, (text, owner, status, evidence) in enumerate(REVIEW_RECOMMENDATIONS, start=1):
        due = today + dt.timedelta(days=30 * (number - 10))
        writer.writerow([f"R{number}", text, owner, due.isoformat(), status, evidence])
    recommendations_import(
        actor=admin,
        organisation=organisation,
        title="Independent Review of the Complaints Process (fictional)",
        published_on=today - dt.timedelta(days=400),
        data=out.getvalue().encode(),
        filename="review.csv",
    )
    past = Meeting.objects.create(
        organisation=organisation, title="Executive Committee", held_on=today - dt.timedelta(days=3)
    )
    meeting_pack_make(meeting=past)
    Meeting.objects.create(
        organisation=organisation,
        title="Executive Committee",
        held_on=today + dt.timedelta(days=25),
    )
