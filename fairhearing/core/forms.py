"""The base of every form here: Django's, with GOV.UK's words where Django has its own."""

from typing import Any

from django import forms

from .limits import too_long


class Form(forms.Form):
    """A form whose text fields, over their limit, say so naming the field ("Your full name
    must be 200 characters or fewer.") instead of Django's "Ensure this value has at most…".
    A field that gives its own message keeps it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or not field.max_length:
                continue
            if "max_length" in field.error_messages:
                continue
            label = str(field.label or name.replace("_", " ").capitalize())
            what = "Your answer" if label.rstrip().endswith("?") else label
            field.error_messages.update(too_long(what, int(field.max_length)))
