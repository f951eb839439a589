import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from fairhearing.accounts.models import CASEWORK_ROLES, User
from fairhearing.core.dates import DateInRange, today, tomorrow, years_ahead
from fairhearing.core.forms import Form
from fairhearing.core.limits import REASONS_MAX, too_long
from fairhearing.organisations.rulebook import RulebookSpec, Transition

from .models import Assignment


@dataclass(frozen=True)
class FilterTag:
    """A filter in force, and the address of the list without it (MOJ filter's tags)."""

    label: str
    url: str


def list_url(query: dict[str, str]) -> str:
    """The case list's address with these parameters (empty ones left out)."""
    kept = {name: value for name, value in query.items() if value}
    return f"{reverse('cases:list')}?{urlencode(kept)}" if kept else reverse("cases:list")


class CaseFilterForm(Form):
    search = forms.CharField(
        label="Name or reference",
        required=False,
        max_length=40,
        help_text=format_html(
            "Part of a party's name (3 letters or more of each word: “bram okaf”) or the "
            'start of a case or complaint reference (<span class="fh-nowrap">{}</span>). '
            "Searches every case you can see, in any queue.",
            "FH-2026-0004",  # kept on one line: a reference broken at its dash reads as two
        ),
    )
    stage = forms.ChoiceField(label="Stage", required=False)
    category = forms.ChoiceField(label="Category", required=False)
    assignee = forms.ChoiceField(label="Assigned to", required=False)
    overdue = forms.BooleanField(label="Only overdue cases", required=False)

    def __init__(self, *args: Any, spec: RulebookSpec, staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_fields: dict[str, forms.ChoiceField] = {
            name: field
            for name, field in self.fields.items()
            if isinstance(field, forms.ChoiceField)
        }
        choice_fields["stage"].choices = [("", "Any stage"), *spec.stage_labels.items()]
        choice_fields["category"].choices = [("", "Any category"), *spec.categories.items()]
        choice_fields["assignee"].choices = [
            ("", "Anyone"),
            ("unassigned", "Nobody yet"),
            *[(str(u.pk), u.display_name) for u in staff],
        ]

    def kept(self) -> dict[str, str]:
        """The filters in force, as the query parameters that set them."""
        if not self.is_valid():
            return {}
        return {
            name: str(self.data.get(name, ""))
            for name in self.fields
            if self.cleaned_data.get(name)
        }

    def tags(self, query: dict[str, str]) -> list[FilterTag]:
        """One tag per filter in force, each linking to `query` without that filter."""
        tags = []
        for name, raw in self.kept().items():
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                label = f"{field.label}: {dict(field.choices).get(raw, raw)}"  # type: ignore[arg-type]
            elif isinstance(field, forms.BooleanField):
                label = str(field.label)
            else:
                label = f"{field.label}: {self.cleaned_data[name]}"
            tags.append(FilterTag(label, list_url({**query, name: ""})))
        return tags


class DecisionForm(Form):
    """A decision's reasons and the rule it applies: every recorded decision asks for both."""

    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons for this decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The parties will be told these reasons.",
        error_messages={
            "required": "Give the reasons for this decision.",
            **too_long("Reasons", REASONS_MAX),
        },
    )
    rule_applied = forms.CharField(
        label="Rule or criterion applied",
        max_length=200,
        help_text="For example: Code of Conduct CC-1.3, or the assessment criteria.",
        error_messages={"required": "Say which rule or criterion you applied."},
    )


class TransitionForm(DecisionForm):
    sanction = forms.ChoiceField(label="Sanction", required=False)
    sanction_ends_on = DateInRange(
        what="The end of the sanction",
        earliest=tomorrow,
        latest=years_ahead(10),
        label="Sanction ends on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Suspensions and re-admission bars always end.",
    )

    def __init__(
        self, *args: Any, spec: RulebookSpec, transition: Transition, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.transition = transition
        # The rulebook's usual reasons and rules, for the officer to edit or replace: what is
        # recorded is what they send, in full.
        if transition.standard_reasons:
            self.fields["reasons"].initial = transition.standard_reasons
            self.fields["reasons"].help_text = (
                "The rulebook's usual reasons are filled in: make them say why, for this case. "
                "The parties will be told these reasons."
            )
        if transition.rules:
            rule = self.fields["rule_applied"]
            rule.initial = transition.rules[0]
            rule.widget.attrs["list"] = f"rules-{transition.key}"
            rule.help_text = "Choose one of the rules this rulebook names for it, or type another."
        sanction_field = self.fields["sanction"]
        assert isinstance(sanction_field, forms.ChoiceField)
        if "sanction" in transition.requires:
            sanction_field.required = True
            sanction_field.choices = [
                ("", "Choose a sanction"),
                *[(s.key, s.label) for s in spec.sanctions.values()],
            ]
            sanction_field.error_messages["required"] = "Choose a sanction."
        else:
            del self.fields["sanction"]
            del self.fields["sanction_ends_on"]


class HearingForm(Form):
    hearing_on = DateInRange(
        what="The date of the hearing",
        earliest=today,
        latest=years_ahead(1),
        label="Date of the hearing",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date of the hearing."},
    )
    hearing_time = forms.TimeField(
        label="Time", initial=dt.time(10, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def hearing_at(self) -> dt.datetime:
        return dt.datetime.combine(
            self.cleaned_data["hearing_on"],
            self.cleaned_data["hearing_time"],
            tzinfo=timezone.get_current_timezone(),
        )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class AssignForm(Form):
    user = StaffChoiceField(
        label="Member of staff", queryset=User.objects.none(), empty_label="Choose someone"
    )
    role = forms.ChoiceField(
        label="Role on the case", choices=Assignment.Role.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, StaffChoiceField)
        user_field.queryset = User.objects.filter(
            organisation_id=organisation_id, role__in=CASEWORK_ROLES, is_active=True
        ).order_by("first_name", "username")


class ReasonsForm(Form):
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reasons.", **too_long("Reasons", REASONS_MAX)},
    )


class WitnessForm(Form):
    full_name = forms.CharField(
        label="Witness's full name",
        max_length=200,
        error_messages={"required": "Enter the witness's full name."},
    )
    email = forms.EmailField(
        label="Email address (if known)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    membership_number = forms.CharField(
        label="Membership number (if a member)", required=False, max_length=40
    )


class ConductRulesForm(Form):
    refs = forms.MultipleChoiceField(
        label="Which rules does this allegation engage?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="From the code of conduct in this case's rulebook.",
    )

    def __init__(self, *args: Any, spec: RulebookSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["refs"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(ref, f"{ref}: {text}") for ref, text in spec.conduct_rules.items()]
