from typing import Any

from django import forms

from fairhearing.core.dates import DateInRange, today, years_ahead
from fairhearing.core.forms import Form
from fairhearing.core.limits import NOTE_MAX, too_long
from fairhearing.reporting.queries import BAD_PERIOD, Period, period_parse

from .models import Answer


class DrawForm(Form):
    period = forms.CharField(
        label="Quarter",
        max_length=7,
        help_text="For example, 2026-Q3.",
        error_messages={"required": "Enter the quarter to audit, for example 2026-Q3."},
    )

    def clean_period(self) -> Period:
        try:
            return period_parse(self.cleaned_data["period"])
        except ValueError:
            raise forms.ValidationError(BAD_PERIOD) from None


class AuditCaseForm(Form):
    """An answer to each check of the round (`checks`: [{"key", "label"}]), and findings."""

    findings = forms.CharField(
        label="Findings",
        required=False,
        max_length=NOTE_MAX,
        help_text="What the file shows, and what should change. Needed where a check was not met.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=too_long("The findings", NOTE_MAX),
    )

    def __init__(self, *args: Any, checks: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checks = checks
        findings = self.fields.pop("findings")
        for check in checks:
            self.fields[f"check_{check['key']}"] = forms.ChoiceField(
                label=check["label"],
                choices=Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer: {check['label']}."},
            )
        self.fields["findings"] = findings  # after the checks, as on the page

    def check_fields(self) -> list[forms.BoundField]:
        return [self[f"check_{check['key']}"] for check in self.checks]

    def answers(self) -> dict[str, str]:
        return {c["key"]: self.cleaned_data[f"check_{c['key']}"] for c in self.checks}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answered = [data.get(f"check_{c['key']}") for c in self.checks]
        if Answer.NO in answered and not (data.get("findings") or "").strip():
            self.add_error("findings", "Say what was found where a check was not met.")
        return data


class RaiseForm(Form):
    text = forms.CharField(
        label="Recommendation",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write the recommendation."}
        | too_long("The recommendation", NOTE_MAX),
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="Who is to carry it out, for example the head of complaints.",
        error_messages={"required": "Say who owns the recommendation."},
    )
    due_on = DateInRange(
        what="The date it is due",
        earliest=today,
        latest=years_ahead(5),
        label="Due on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date it is due.", "invalid": "Enter a real date."},
    )
