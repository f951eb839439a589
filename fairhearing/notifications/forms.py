from django import forms

from fairhearing.core.dates import DateInRange, today, years_ago
from fairhearing.core.forms import Form


class LetterPostedForm(Form):
    posted_on = DateInRange(
        what="The date of posting",
        earliest=years_ago(1),
        latest=today,
        label="Date posted",
        help_text="The day it went in the post. The letter is served on the working day the "
        "rulebook sets after it.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date the letter was posted.",
            "invalid": "Enter a real date.",
        },
    )
