from typing import Any

from django import forms

from fairhearing.core.dates import DateInRange, tomorrow, years_ahead
from fairhearing.core.limits import REASONS_MAX, too_long
from fairhearing.organisations.rulebook import RulebookSpec, Transition


class VoteForm(forms.Form):
    transition = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your decision."},
    )
    sanction = forms.ChoiceField(
        label="Sanction (if you uphold the allegations)",
        required=False,
        help_text=(
            "Only if you uphold them: the lightest is no further action. Every suspension "
            "and bar has an end."
        ),
    )
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Your reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="If you are in the minority, these are your recorded dissent.",
        error_messages={
            "required": "Give the reasons for your vote.",
            **too_long("Your reasons", REASONS_MAX),
        },
    )

    def __init__(
        self, *args: Any, spec: RulebookSpec, choices: list[Transition], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        transition = self.fields["transition"]
        sanction = self.fields["sanction"]
        assert isinstance(transition, forms.ChoiceField)
        assert isinstance(sanction, forms.ChoiceField)
        transition.choices = [(t.key, t.label) for t in choices]
        # The blank choice is "not chosen", never a sanction of its own: the rulebook's
        # lightest rung (no further action) is the one to choose when upholding.
        sanction.choices = [("", "Choose a sanction")] + [
            (s.key, s.label) for s in spec.sanctions.values()
        ]


class InterimSuspensionForm(forms.Form):
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons for suspending the member while the case is decided",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Give the panel's reasons.",
            **too_long("Reasons", REASONS_MAX),
        },
    )
    ends_on = DateInRange(
        what="The end of the suspension",
        earliest=tomorrow,
        latest=years_ahead(2),
        label="The suspension ends on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date it ends.", "invalid": "Enter a real date."},
    )
