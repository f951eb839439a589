from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_lazy as lazy_gettext

from fairhearing.core.forms import Form
from fairhearing.core.limits import NOTE_MAX, too_long

from .models import QUESTIONS, Level

# What the page says when a statement is not answered, in the reader's language (each whole,
# as languages put "agree that ..." together differently).
REQUIRED = {
    "fair": _("Select how far you agree that I was treated fairly."),
    "explained": _("Select how far you agree that the process was explained to me clearly."),
    "informed": _("Select how far you agree that I was kept informed about my case."),
    "confidence": _("Select how far you agree that I have confidence in the complaints process."),
}
# The statements and the scale are stored and published in English (models.QUESTIONS,
# Level); the page shows them translated (marked in surveys/translations.py).


def _statement(key: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=lazy_gettext(QUESTIONS[key]),
        choices=[(value, lazy_gettext(label)) for value, label in Level.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": REQUIRED[key]},
    )


class AnswerForm(Form):
    """The four statements, each on the five-point scale, and comments (never published)."""

    fair = _statement("fair")
    explained = _statement("explained")
    informed = _statement("informed")
    confidence = _statement("confidence")
    comments = forms.CharField(
        label=_("Anything else you want to tell us (optional)"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_(
            "What went well, or what we should change. Comments are never published; they are"
            " read by the independent oversight reviewer, without your name or your case."
            " Do not include your name or your case's reference."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=too_long(_("Your comments"), NOTE_MAX),
    )

    def statement_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in QUESTIONS]

    def answers(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in QUESTIONS}
