from typing import Any

from django import forms

from fairhearing.accounts.models import Role
from fairhearing.core.dates import DateInRange, today, years_ago
from fairhearing.core.forms import Form
from fairhearing.core.limits import NOTE_MAX, REASONS_MAX, too_long

from .models import AccessAttempt, Approach
from .queries import RegisterFilters


class ApproachForm(Form):
    approached_on = DateInRange(
        what="The date you were approached",
        earliest=years_ago(2),
        latest=today,
        label="When were you approached?",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date."},
    )
    approached_by = forms.CharField(
        label="Who approached you?",
        max_length=200,
        help_text="Their name, and any office they hold.",
        error_messages={"required": "Say who approached you."},
    )
    channel = forms.ChoiceField(
        label="How?",
        choices=Approach.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how you were approached."},
    )
    asked = forms.CharField(
        max_length=NOTE_MAX,
        label="What were you asked?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say what you were asked.",
            **too_long("What was asked", NOTE_MAX),
        },
    )
    answered = forms.CharField(
        max_length=NOTE_MAX,
        label="What did you answer?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you answered.", **too_long("The answer", NOTE_MAX)},
    )


class VerificationForm(Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("verify", "Verify: the decision takes effect"),
            ("veto", "Veto: a fresh panel hears the case"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to verify or veto."},
    )
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give your reasons.", **too_long("Reasons", REASONS_MAX)},
    )


class RegisterFilterForm(Form):
    """The register's filters: who, their role, which case, what they tried, and when (in
    the order the page shows them, which is the order of its error summary)."""

    user = forms.TypedChoiceField(label="Who", required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(label="Role", required=False)
    case = forms.CharField(
        label="Case reference", required=False, max_length=40, help_text="For example FH-2026-00042"
    )
    action = forms.ChoiceField(
        label="What was tried (refused attempts)",
        required=False,
        choices=[("", "Anything"), *AccessAttempt.Action.choices],
    )
    since = DateInRange(
        what="The start of the period",
        earliest=years_ago(30),
        latest=today,
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = DateInRange(
        what="The end of the period",
        earliest=years_ago(30),
        latest=today,
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, role = self.fields["user"], self.fields["role"]
        assert isinstance(user, forms.ChoiceField) and isinstance(role, forms.ChoiceField)
        user.choices = [("", "Anyone"), *[(str(p.pk), p.display_name) for p in people]]
        role.choices = [("", "Any role"), *Role.choices, ("anonymous", "Not signed in")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the period must be on or after its start.")
        return data

    def filters(self) -> RegisterFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return RegisterFilters(
            user_id=data.get("user"),
            role=data.get("role", ""),
            case=data.get("case", ""),
            since=data.get("since"),
            until=data.get("until"),
            action=data.get("action", ""),
        )
