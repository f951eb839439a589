from django import forms

from fairhearing.core.forms import Form
from fairhearing.core.limits import too_long

from .models import NAME_MAX

QUERY_FIELD_MAX = 2_000


class SavedViewForm(Form):
    name = forms.CharField(
        label="Name of the view",
        max_length=NAME_MAX,
        help_text="For example: Overdue assessments. Saving a name you already use replaces it.",
        error_messages={"required": "Give the view a name.", **too_long("The name", NAME_MAX)},
    )
    # The list's query string, as the page had it (cleaned again when saved).
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=QUERY_FIELD_MAX)
