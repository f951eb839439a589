import datetime as dt
from typing import Any

from django import forms

from fairhearing.core.dates import DateInRange, today, tomorrow, years_ago, years_ahead
from fairhearing.core.forms import Form
from fairhearing.core.limits import REASONS_MAX, too_long
from fairhearing.people.models import Person, person_hash


class HoldForm(Form):
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons",
        help_text="The claim, inquiry or proceedings that need the case kept.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reasons.", **too_long("Reasons", REASONS_MAX)},
    )
    review_on = DateInRange(
        what="The review date",
        earliest=tomorrow,
        latest=years_ahead(10),
        label="Review by",
        help_text="The date by which the hold must be looked at again.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the review date.", "invalid": "Enter a real date."},
    )


class LiftForm(Form):
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reasons.", **too_long("Reasons", REASONS_MAX)},
    )


class SubjectAccessForm(Form):
    """Find the person by an exact membership number, email or full name (keyed hashes)."""

    membership_number = forms.CharField(label="Membership number", required=False, max_length=40)
    email = forms.EmailField(label="Email address", required=False)
    full_name = forms.CharField(label="Full name", required=False, max_length=200)
    received_on = DateInRange(
        what="The date the request was received",
        earliest=years_ago(1),
        latest=today,
        label="Date the request was received",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date received.", "invalid": "Enter a real date."},
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        self.fields["received_on"].initial = dt.date.today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        people = Person.objects.filter(organisation_id=self.organisation_id, anonymised_at=None)
        for field in ("membership_number", "email", "full_name"):
            value = (data.get(field) or "").strip()
            if value:
                matches = list(people.filter(**{f"{field}_hash": person_hash(field, value)})[:2])
                if not matches:
                    self.add_error(field, "Nobody in the records matches that.")
                elif len(matches) > 1:
                    self.add_error(
                        field, "More than one person matches: give a membership number or email."
                    )
                else:
                    data["person"] = matches[0]
                break
        else:
            self.add_error("membership_number", "Give a membership number, email or full name.")
        return data
