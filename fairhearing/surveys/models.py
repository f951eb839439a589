"""Confidence surveys (R-55; issue 23, item 4): when a case closes each party with an email
address is sent a one-time link to a short survey; the answers are published by quarter, as
suppressed counts.

Anonymous from the case team by construction. An `Invitation` belongs to a case and a party,
and records only that it was used: never when. An `Answer` holds the answers, the party's role
and the quarter it was given in, and nothing else: no case, party, invitation or time, and a
random primary key, so that neither its key nor its place in the table orders it beside an
invitation. Its ledger event carries no case and no answer."""

import uuid

from django.db import models

from fairhearing.core.crypto import EncryptedTextField


class Role(models.TextChoices):
    COMPLAINANT = "complainant", "Complainant"
    RESPONDENT = "respondent", "Respondent"


class Level(models.IntegerChoices):
    """A five-point scale of agreement with a statement."""

    STRONGLY_AGREE = 5, "Strongly agree"
    AGREE = 4, "Agree"
    NEITHER = 3, "Neither agree nor disagree"
    DISAGREE = 2, "Disagree"
    STRONGLY_DISAGREE = 1, "Strongly disagree"


# The statements a party is asked to agree or disagree with, by the answer's field, in order.
QUESTIONS = {
    "fair": "I was treated fairly",
    "explained": "The process was explained to me clearly",
    "informed": "I was kept informed about my case",
    "confidence": "I have confidence in the complaints process",
}


class Invitation(models.Model):
    """One party's one-time link to the survey of one closed case. Only the token's hash is
    kept; `used` says that it was answered, and nothing says when."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices)
    token_sha256 = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="survey_invitation_once")
        ]

    def __str__(self) -> str:
        return f"Survey invitation {self.pk}"


def _level_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=f"survey_answer_{field}_level",
    )


class Answer(models.Model):
    """One party's answers, unlinkable: see the module's doc."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=7, help_text="the quarter answered in, e.g. 2026-Q3")
    role = models.CharField(max_length=12, choices=Role.choices)
    fair = models.PositiveSmallIntegerField(choices=Level.choices)
    explained = models.PositiveSmallIntegerField(choices=Level.choices)
    informed = models.PositiveSmallIntegerField(choices=Level.choices)
    confidence = models.PositiveSmallIntegerField(choices=Level.choices)
    # Never published; read by oversight only, by quarter, in no order (views).
    comments = EncryptedTextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "period"], name="survey_answer_period")]
        constraints = [_level_check(field) for field in QUESTIONS]

    def __str__(self) -> str:
        return f"Survey answer ({self.period})"
