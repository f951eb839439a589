from django import forms

from fairhearing.core.dates import DateInRange, today, years_ago
from fairhearing.core.limits import NOTE_MAX, REASONS_MAX, too_long

from .models import Approach


class ApproachForm(forms.Form):
    approached_on = DateInRange(
        what="The date you were approached",
        earliest=years_ago(2),
        latest=today,
        label="When were you approached?",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date."},
    )
    approached_by = forms.CharField(
        label="Who approached you?",
        max_length=200,
        help_text="Their name, and any office they hold.",
        error_messages={"required": "Say who approached you."},
    )
    channel = forms.ChoiceField(
        label="How?",
        choices=Approach.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how you were approached."},
    )
    asked = forms.CharField(
        max_length=NOTE_MAX,
        label="What were you asked?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say what you were asked.",
            **too_long("What was asked", NOTE_MAX),
        },
    )
    answered = forms.CharField(
        max_length=NOTE_MAX,
        label="What did you answer?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you answered.", **too_long("The answer", NOTE_MAX)},
    )


class VerificationForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("verify", "Verify: the decision takes effect"),
            ("veto", "Veto: a fresh panel hears the case"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to verify or veto."},
    )
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give your reasons.", **too_long("Reasons", REASONS_MAX)},
    )
