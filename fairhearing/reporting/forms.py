from django import forms
from django.utils.html import format_html, format_html_join

from fairhearing.core.dates import DateInRange, today, years_ago, years_ahead
from fairhearing.core.forms import Form
from fairhearing.core.limits import NOTE_MAX, too_long

from .models import Recommendation


class MeetingForm(Form):
    title = forms.CharField(
        label="Meeting", max_length=200, error_messages={"required": "Name the meeting."}
    )
    held_on = DateInRange(
        what="The date of the meeting",
        earliest=years_ago(2),
        latest=years_ahead(2),
        label="Date of the meeting",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date."},
    )
    pack_days_before = forms.IntegerField(
        label="Make the pack this many days before", initial=7, min_value=0, max_value=60
    )


class RecommendationsImportForm(Form):
    title = forms.CharField(
        label="Title of the review",
        max_length=300,
        error_messages={"required": "Give the review's title."},
    )
    published_on = DateInRange(
        what="The date it was published",
        earliest=years_ago(30),
        latest=today,
        label="Published on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date."},
    )
    file = forms.FileField(
        label="Recommendations (CSV or JSON)",
        help_text=format_html(
            "The first row names the columns: {}.",
            format_html_join(
                ", ",
                "<code>{}</code>",
                ((c,) for c in ("number", "text", "owner", "due_on", "status", "evidence")),
            ),
        ),
        error_messages={"required": "Choose a file."},
    )


class RecommendationUpdateForm(Form):
    status = forms.ChoiceField(
        label="Status", choices=Recommendation.Status.choices, widget=forms.RadioSelect
    )
    evidence = forms.CharField(
        max_length=NOTE_MAX,
        label="Evidence of implementation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=too_long("The evidence", NOTE_MAX),
    )
