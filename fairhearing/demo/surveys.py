"""Confidence surveys in the demo: over half the parties invited when their case closed answer,
within three weeks, each through the link in their email (as a party would), so the published
statistics and the pack show the results. Every comment is fictional."""

import datetime as dt
import random

from django.utils import timezone

from fairhearing.notifications.models import Notification
from fairhearing.organisations.models import Organisation
from fairhearing.surveys.models import QUESTIONS
from fairhearing.surveys.services import survey_answer

ANSWERED = 0.6
# A few comments, all invented for the demo.
COMMENTS = [
    "The case officer rang me back every time, which made a difficult few months easier.",
    "I was not told for six weeks that anything was happening.",
    "The letters were clear, but I had to read the rulebook twice to follow the stages.",
    "I felt listened to at the hearing, even though I disagree with the outcome.",
    "It took far too long. Nobody explained why the clock had stopped.",
    "Being able to see the time limits online helped a great deal.",
    "I would have liked to speak to someone rather than only get emails.",
    "Fair, thorough and quicker than I expected.",
]
# The chance of each level from "strongly agree" (5) down: parties of cases that ended their
# way agree more often; "kept informed" is the weakest everywhere, as reviews found.
UPHELD = {"upheld_sanction_final", "appeal_dismissed", "sanction_varied"}
HAPPIER = [30, 35, 15, 12, 8]
LESS_HAPPY = [8, 20, 22, 28, 22]


def _levels(rng: random.Random, happier: bool) -> dict[str, int]:
    weights = HAPPIER if happier else LESS_HAPPY
    answers = {}
    for question in QUESTIONS:
        level = rng.choices([5, 4, 3, 2, 1], weights=weights)[0]
        if question == "informed" and level > 1 and rng.random() < 0.3:
            level -= 1
        answers[question] = level
    return answers


def surveys_demo(organisation: Organisation, rng: random.Random) -> int:
    """Answer some of the survey invitations sent so far; returns how many were answered."""
    now = timezone.now()
    answered = 0
    invitations = (
        Notification.objects.filter(
            case__organisation=organisation, kind=Notification.Kind.SURVEY_INVITATION
        )
        .select_related("case")
        .order_by("pk")
    )
    for notification in invitations:
        case = notification.case
        if rng.random() > ANSWERED or case is None or case.closed_at is None:
            continue
        when = case.closed_at + dt.timedelta(hours=rng.randint(6, 21 * 24))
        if when >= now:
            continue
        token = notification.context["survey_url"].rstrip("/").rsplit("/", 1)[-1]
        upheld = case.outcome in UPHELD
        happier = upheld == (notification.role == "complainant")
        survey_answer(
            token=token,
            answers=_levels(rng, happier),
            comments=rng.choice(COMMENTS) if rng.random() < 0.3 else "",
            now=when,
        )
        answered += 1
    return answered
