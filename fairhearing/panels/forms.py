from typing import Any

from django import forms

from fairhearing.core.dates import DateInRange, today, tomorrow, years_ago, years_ahead
from fairhearing.core.forms import Form
from fairhearing.core.limits import REASONS_MAX, too_long
from fairhearing.organisations.rulebook import RulebookSpec, Transition


class VoteForm(Form):
    transition = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your decision."},
    )
    sanction = forms.ChoiceField(
        label="Sanction (only if you uphold the allegations)",
        required=False,
        help_text="Leave it empty if you do not uphold them. The lightest is no further action.",
    )
    sanction_ends_on = DateInRange(
        what="The end of the sanction",
        earliest=tomorrow,
        latest=years_ahead(10),
        label="Sanction ends on (suspensions and re-admission bars only)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Every suspension and re-admission bar ends, within the rulebook's maximum.",
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
        self.spec, self.decisions = spec, {t.key: t for t in choices}

    def clean(self) -> dict[str, Any]:
        """The choices must agree: a sanction only with a decision that carries one, and an
        end only with a sanction that ends."""
        data = super().clean() or {}
        move = self.decisions.get(data.get("transition") or "")
        sanction, ends_on = data.get("sanction") or "", data.get("sanction_ends_on")
        if move is None:
            return data
        if "sanction" not in move.requires:
            if sanction:
                self.add_error("sanction", f"“{move.label}” carries no sanction: leave it empty.")
            if ends_on:
                self.add_error(
                    "sanction_ends_on", "Leave the end date empty: there is no sanction."
                )
            return data
        if not sanction:
            self.add_error("sanction", "Choose a sanction: you uphold the allegations.")
            return data
        chosen = self.spec.sanctions[sanction]
        if chosen.requires_end_date and ends_on is None:
            self.add_error("sanction_ends_on", f"Enter the date “{chosen.label}” ends.")
        elif not chosen.requires_end_date and ends_on is not None:
            self.add_error(
                "sanction_ends_on", f"Leave the end date empty: “{chosen.label}” does not end."
            )
        return data


class InterimSuspensionForm(Form):
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


class TrainingRecordForm(Form):
    """A course someone completed, as an administrator records it (R-64)."""

    person = forms.TypedChoiceField(
        label="Who completed it",
        coerce=int,
        error_messages={"required": "Choose who completed the course."},
    )
    course = forms.CharField(
        label="Course",
        max_length=200,
        error_messages={"required": "Enter the name of the course."},
    )
    completed_on = DateInRange(
        what="The date it was completed",
        earliest=years_ago(10),
        latest=today,
        label="Completed on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date it was completed."},
    )
    expires_on = DateInRange(
        what="The date it expires",
        earliest=tomorrow,
        latest=years_ahead(10),
        label="Expires on",
        help_text="Training that has expired does not count: record when it must be renewed.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date it expires."},
    )

    def __init__(self, *args: Any, people: list[Any], courses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Any = self.fields["person"]
        person.choices = [("", "Choose someone"), *((p.user_id, p.name) for p in people)]
        if courses:
            self.fields["course"].help_text = "The rulebook asks for: " + "; ".join(courses) + "."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        done, ends = data.get("completed_on"), data.get("expires_on")
        if done and ends and ends <= done:
            self.add_error("expires_on", "The date it expires must be after it was completed.")
        return data
