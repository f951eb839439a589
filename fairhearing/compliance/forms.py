from django import forms

from fairhearing.core.dates import DateInRange, tomorrow, years_ahead
from fairhearing.core.forms import Form
from fairhearing.core.limits import NOTE_MAX, too_long

from .models import Condition
from .services import ADDABLE_KINDS


class ConditionAddForm(Form):
    kind = forms.ChoiceField(
        label="What must they do?",
        choices=[(k.value, k.label) for k in ADDABLE_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the condition asks for."},
    )
    description = forms.CharField(
        label="The condition, as the decision put it",
        max_length=300,
        help_text="For example: complete the equality and conduct course.",
        error_messages={"required": "Say what the person must do."}
        | too_long("The condition", 300),
    )
    due_on = DateInRange(
        what="The date it is due",
        earliest=tomorrow,
        latest=years_ahead(5),
        label="Due by",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date it is due.", "invalid": "Enter a real date."},
    )


class ConditionRecordForm(Form):
    outcome = forms.ChoiceField(
        label="Did they comply?",
        choices=[
            (Condition.Status.COMPLIED.value, "Yes, it was complied with"),
            (Condition.Status.NOT_COMPLIED.value, "No, it was not complied with"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they complied."},
    )
    note = forms.CharField(
        label="What shows it, or why not",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "If they complied: what you saw (a certificate, the apology sent). "
            "If not: your reasons."
        ),
        error_messages={"required": "Say what shows it, or why they did not comply."}
        | too_long("The note", NOTE_MAX),
    )
    proof = forms.FileField(
        label="A file that shows it (optional)",
        required=False,
        help_text="PDF, PNG, JPEG, GIF, WebP or plain text, up to 20 MB.",
        allow_empty_file=True,
    )
