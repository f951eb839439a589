from typing import Any

from django import forms

from fairhearing.core.forms import Form
from fairhearing.core.limits import REASONS_MAX, too_long
from fairhearing.organisations.models import Branch
from fairhearing.people.models import Person, person_hash

from .models import BiasChallenge, Declaration


class DeclarationForm(Form):
    kind = forms.ChoiceField(
        label="What is your interest in?",
        choices=Declaration.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what your interest is in."},
    )
    membership_number = forms.CharField(
        label="The person's membership number",
        required=False,
        max_length=40,
        help_text="For an interest in a named member.",
    )
    branch = forms.ModelChoiceField(
        label="The branch", queryset=Branch.objects.none(), required=False, empty_label="Choose"
    )
    text = forms.CharField(
        label="Name or description",
        required=False,
        max_length=300,
        help_text="For an organisation, a group or faction, or anything else.",
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        branch = self.fields["branch"]
        assert isinstance(branch, forms.ModelChoiceField)
        branch.queryset = Branch.objects.filter(organisation_id=organisation_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Declaration.Kind.PERSON:
            number = (data.get("membership_number") or "").strip()
            person = (
                Person.objects.filter(
                    organisation_id=self.organisation_id,
                    membership_number_hash=person_hash("membership_number", number),
                ).first()
                if number
                else None
            )
            if not number:
                self.add_error("membership_number", "Enter the person's membership number.")
            elif person is None:
                self.add_error("membership_number", "No member has that membership number.")
            data["person"] = person
        elif kind == Declaration.Kind.BRANCH and not data.get("branch"):
            self.add_error("branch", "Choose the branch.")
        elif (
            kind
            and kind not in {Declaration.Kind.PERSON, Declaration.Kind.BRANCH}
            and not (data.get("text") or "").strip()
        ):
            self.add_error("text", "Say who or what the interest is in.")
        return data


class ChallengeForm(Form):
    challenged = forms.ChoiceField(label="Who is challenged?", widget=forms.RadioSelect)
    raised_by = forms.ChoiceField(
        label="Which party raises the challenge?", widget=forms.RadioSelect
    )
    grounds = forms.CharField(
        max_length=REASONS_MAX,
        label="Grounds of the challenge",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Give the grounds of the challenge.",
            **too_long("Your grounds", REASONS_MAX),
        },
    )

    def __init__(
        self,
        *args: Any,
        members: list[tuple[int, str]],
        parties: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        challenged = self.fields["challenged"]
        raised_by = self.fields["raised_by"]
        assert isinstance(challenged, forms.ChoiceField)
        assert isinstance(raised_by, forms.ChoiceField)
        challenged.choices = [(str(pk), name) for pk, name in members]
        challenged.error_messages["required"] = "Choose who is challenged."
        raised_by.choices = [(str(pk), name) for pk, name in parties]
        raised_by.error_messages["required"] = "Choose the party raising it."


class ChallengeDecisionForm(Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (BiasChallenge.Decision.UPHELD, BiasChallenge.Decision.UPHELD.label),
            (BiasChallenge.Decision.DISMISSED, BiasChallenge.Decision.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Give the reasons for the decision.",
            **too_long("Reasons", REASONS_MAX),
        },
    )
