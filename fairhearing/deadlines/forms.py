"""Stopping a time limit's clock, and deciding a request to stop one (R-56)."""

import datetime as dt
from typing import Any

from django import forms

from fairhearing.core.dates import DateInRange, tomorrow
from fairhearing.core.forms import Form
from fairhearing.core.limits import REASONS_MAX, too_long


class ClockStopForm(Form):
    """Why the clock stops, and the date it restarts by itself. The latest date allowed is the
    rulebook's (`max_days` from today), given by the view."""

    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons for stopping the clock",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give the reasons for stopping the clock.",
            **too_long("Reasons", REASONS_MAX),
        },
    )
    restart_on = DateInRange(
        what="The restart date",
        earliest=tomorrow,
        latest=tomorrow,  # replaced in __init__ by the rulebook's latest date
        label="Restart date",
        help_text="The clock restarts by itself at the start of this day, if no one restarts "
        "it sooner.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the restart date.", "invalid": "Enter a real date."},
    )

    def __init__(self, *args: Any, latest: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["restart_on"]
        assert isinstance(field, DateInRange)
        field.latest = lambda: latest
        field.help_text = f"{field.help_text} At the latest {latest:%-d %B %Y}."


class ClockStopDecisionForm(Form):
    reasons = forms.CharField(
        max_length=REASONS_MAX,
        label="Reasons for your decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give the reasons for your decision.",
            **too_long("Reasons", REASONS_MAX),
        },
    )
