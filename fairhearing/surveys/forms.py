from typing import Any

from django import forms

from fairhearing.core.forms import Form
from fairhearing.core.limits import NOTE_MAX, too_long

from .models import QUESTIONS, Level


def _that(statement: str) -> str:
    """The statement as it follows "agree that": "I was ..." as it is, "The process ..." as
    "the process ..."."""
    return statement if statement.startswith("I ") else statement[0].lower() + statement[1:]


def _statement(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": f"Select how far you agree that {_that(label)}."},
    )


class AnswerForm(Form):
    """The four statements, each on the five-point scale, and comments (never published)."""

    fair = _statement(QUESTIONS["fair"])
    explained = _statement(QUESTIONS["explained"])
    informed = _statement(QUESTIONS["informed"])
    confidence = _statement(QUESTIONS["confidence"])
    comments = forms.CharField(
        label="Anything else you want to tell us (optional)",
        required=False,
        max_length=NOTE_MAX,
        help_text=(
            "What went well, or what we should change. Comments are never published; they are"
            " read by the independent oversight reviewer, without your name or your case."
            " Do not include your name or your case's reference."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=too_long("Your comments", NOTE_MAX),
    )

    def statement_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in QUESTIONS]

    def answers(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in QUESTIONS}
