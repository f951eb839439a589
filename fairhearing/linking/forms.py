from django import forms

from fairhearing.core.forms import Form


class LinkForm(Form):
    kind = forms.ChoiceField(
        label="Link or merge?",
        choices=[
            ("link", "Link: related cases, both go on"),
            ("merge", "Merge: the other case joins this one (it can be undone)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose link or merge."},
    )
    reasons = forms.CharField(
        label="Your reasons",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Give your reasons."},
    )


class UndoForm(Form):
    reasons = forms.CharField(
        label="Why undo it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Give your reasons."},
    )
