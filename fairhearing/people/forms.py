from django import forms

from fairhearing.core.dates import DateInRange, today, years_ago
from fairhearing.core.limits import AFFILIATION_NAME_MAX, NOTE_MAX, too_long

from .models import Affiliation
from .services import SOURCE_YEARS


class AffiliationForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of body is it?",
        choices=Affiliation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether it is a group, a faction, an employer or another body."
        },
    )
    name = forms.CharField(
        label="Its name",
        max_length=AFFILIATION_NAME_MAX,
        help_text="As people declare interests in it: case and spacing do not matter.",
        error_messages={
            "required": "Enter the name of the group, faction or employer.",
            **too_long("The name", AFFILIATION_NAME_MAX),
        },
    )
    source = forms.CharField(
        label="Where does this come from?",
        max_length=NOTE_MAX,
        help_text="For example: the branch's membership list, minutes, a public post.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Say where this comes from.",
            **too_long("The source", NOTE_MAX),
        },
    )
    source_date = DateInRange(
        what="The date of the source",
        earliest=years_ago(SOURCE_YEARS),
        latest=today,
        label="The date of the source",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date of the source.",
            "invalid": "Enter a real date.",
        },
    )
