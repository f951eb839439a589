from django import forms

from fairhearing.core.dates import DateInRange, today, years_ago
from fairhearing.core.forms import Form
from fairhearing.core.limits import (
    ADDRESS_MAX,
    AFFILIATION_NAME_MAX,
    EMAIL_MAX,
    NOTE_MAX,
    REASONS_MAX,
    too_long,
)

from .models import Affiliation
from .services import SOURCE_YEARS


class AffiliationForm(Form):
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


class ContactForm(Form):
    """A party's email and postal address, added or corrected by staff with reasons."""

    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=EMAIL_MAX,
        help_text="Leave blank if they have none: notices and letters then go by post.",
        error_messages={
            "invalid": "Enter an email address like name@example.com.",
            **too_long("The email address", EMAIL_MAX),
        },
    )
    postal_address = forms.CharField(
        label="Postal address",
        required=False,
        max_length=ADDRESS_MAX,
        help_text="As it goes on the envelope, one line per line, with the postcode.",
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        error_messages=too_long("The postal address", ADDRESS_MAX),
    )
    reasons = forms.CharField(
        label="Reasons for the change",
        max_length=REASONS_MAX,
        help_text="Where the new details come from, or why the old ones were wrong.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give the reasons for the change.",
            **too_long("The reasons", REASONS_MAX),
        },
    )
