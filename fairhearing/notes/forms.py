from typing import Any

from django import forms

from fairhearing.core.forms import Form
from fairhearing.core.limits import FILE_NOTE_MAX, REASONS_MAX, too_long
from fairhearing.organisations.rulebook import ChecklistItem

from .models import Audience


class NoteForm(Form):
    text = forms.CharField(
        label="Add a file note",
        max_length=FILE_NOTE_MAX,
        help_text="A note cannot be changed later: to correct one, add another.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the note.", **too_long("The note", FILE_NOTE_MAX)},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the case page has other forms with a text box.
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)


class DiscloseForm(Form):
    audience = forms.ChoiceField(
        label="Who will read it?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whom to share the note with."},
    )
    reasons = forms.CharField(
        label="Why share it?",
        max_length=REASONS_MAX,
        help_text="Recorded with the decision, for the case team and oversight.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give the reasons for sharing this note.",
            **too_long("Reasons", REASONS_MAX),
        },
    )


class ChecklistForm(Form):
    """The checks of one stage as a page showed them: `done`, those ticked now; `shown_done`,
    those the page showed as done (so that only what was changed on it is saved)."""

    done = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    shown_done = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args: Any, items: tuple[ChecklistItem, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(item.key, item.label) for item in items]
        for name in ("done", "shown_done"):
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = choices
