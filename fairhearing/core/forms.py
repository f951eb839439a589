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


class MultipleFileInput(forms.FileInput):
    """One `<input type="file" multiple>`: GOV.UK's file upload, which chooses several files
    without JavaScript (Ctrl or Cmd as one clicks)."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"multiple": True, **(attrs or {})})


class MultipleFileField(forms.FileField):
    """The files chosen in one `MultipleFileInput`, as a list ([] when none), at most
    `max_files` of them."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, max_files: int, **kwargs: Any) -> None:
        self.max_files = max_files
        super().__init__(*args, **kwargs)
        self.error_messages.setdefault("max_files", f"Choose {max_files} files or fewer.")

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise forms.ValidationError(self.error_messages["max_files"], code="max_files")
        return [forms.FileField.clean(self, f, initial) for f in files]
