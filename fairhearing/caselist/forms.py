from typing import Any

from django import forms

from fairhearing.accounts.models import User
from fairhearing.cases.models import Assignment, Case
from fairhearing.cases.services import BULK_SAME_PERSON, BULK_TOO_MANY
from fairhearing.core.forms import Form
from fairhearing.core.limits import REASONS_MAX, too_long

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


class BulkAssignForm(Form):
    """Cases picked from the list, who takes them on and as what, who (if anyone) leaves them,
    and why. `cases` offers the cases the user may act on among those sent (`cases_for`)."""

    cases = forms.MultipleChoiceField(
        label="Cases selected",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the cases to assign.",
            "invalid_choice": "Select the cases to assign from the list.",
        },
    )
    assign_to = forms.ChoiceField(
        label="Assign to",
        error_messages={"required": "Choose who to assign the cases to."},
    )
    role = forms.ChoiceField(
        label="As",
        choices=Assignment.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they join as case officer or investigator."},
    )
    replacing = forms.ChoiceField(
        label="Replacing (optional)",
        required=False,
        help_text="Someone leaving the cases: their place on each case team ends.",
    )
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with each case's new team, as a decision.",
        error_messages={
            "required": "Give the reasons for assigning these cases.",
            **too_long("Reasons", REASONS_MAX),
        },
    )

    def __init__(
        self, *args: Any, staff: list[User], cases: list[Case], most: int, **kwargs: Any
    ) -> None:
        """`staff`: the organisation's caseworkers (`caselist.queries.caseworkers`), those whose
        account is closed among them: they may be replaced, not assigned."""
        super().__init__(*args, **kwargs)
        self.most = most
        self.staff = {str(person.pk): person for person in staff}
        fields: dict[str, forms.ChoiceField] = {
            name: field
            for name, field in self.fields.items()
            if isinstance(field, forms.ChoiceField)
        }
        fields["cases"].choices = [
            (case.reference, f"{case.reference}: {case.respondent.full_name}") for case in cases
        ]
        fields["assign_to"].choices = [("", "Choose someone")] + [
            (str(person.pk), person.display_name) for person in staff if person.is_active
        ]
        fields["replacing"].choices = [("", "Nobody")] + [
            (
                str(person.pk),
                person.display_name
                if person.is_active
                else f"{person.display_name} (account closed)",
            )
            for person in staff
        ]

    def clean_assign_to(self) -> User:
        return self.staff[self.cleaned_data["assign_to"]]

    def clean_replacing(self) -> User | None:
        chosen = self.cleaned_data["replacing"]
        return self.staff[chosen] if chosen else None

    def clean_cases(self) -> list[str]:
        references: list[str] = self.cleaned_data["cases"]
        if len(references) > self.most:
            raise forms.ValidationError(BULK_TOO_MANY.format(most=self.most, count=len(references)))
        return references

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user, replacing = cleaned.get("assign_to"), cleaned.get("replacing")
        if user is not None and replacing is not None and user.pk == replacing.pk:
            self.add_error("replacing", BULK_SAME_PERSON)
        return cleaned
