"""Django forms rendered in GOV.UK Design System markup.

    {% load govuk %}
    <form method="post" novalidate>
      {% csrf_token %}
      {% govuk_error_summary form %}
      {% govuk_field form.name label_size="m" classes="govuk-input--width-20" %}
      {% govuk_field form.outcome label_is_page_heading=True %}
      {% govuk_button "Continue" %}
    </form>

Validation is the server's job: no ``required`` attribute is ever rendered, so forms should
carry ``novalidate``. Everything that reaches the page (labels, hints, errors, values, choice
labels) goes through Django's autoescaping; only strings the code itself marked safe stay as
they are.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from fairhearing.core.dates import PARTS, DateParts, entry_of

register = template.Library()

LABEL_SIZES = frozenset({"xl", "l", "m", "s"})

# Attributes that the GOV.UK templates write themselves; every other widget attribute
# (autocomplete, spellcheck, inputmode, rows, maxlength, multiple, ...) is passed through.
_MANAGED_ATTRS = frozenset(
    {"id", "name", "type", "value", "class", "required", "checked", "selected", "aria-describedby"}
)

# GOV.UK date input labels, in the reader's language.
PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}


def widget_kind(widget: forms.Widget) -> str:
    """The GOV.UK component that renders ``widget`` (order matters: subclasses first)."""
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, DateParts):
        return "date_parts"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.DateInput):
        return "date"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, Input):
        return "input"
    raise TypeError(f"govuk_field cannot render a {type(widget).__name__} widget")


def field_id(bound_field: BoundField) -> str:
    """The id of the field's element, or the base of its items' ids for radios/checkboxes."""
    return bound_field.auto_id or f"id_{bound_field.html_name}"


def _choice_options(bound_field: BoundField) -> list[dict[str, Any]]:
    widget = bound_field.field.widget
    context = widget.get_context(
        bound_field.html_name, bound_field.value(), {"id": field_id(bound_field)}
    )
    return [
        option
        for _group_name, group_options, _index in context["widget"]["optgroups"]
        for option in group_options
    ]


def error_target_id(bound_field: BoundField) -> str:
    """Where an error summary link for this field should go: the first radio or checkbox of a
    group (GOV.UK's rule), the day box of a date input, otherwise the field itself."""
    if widget_kind(bound_field.field.widget) == "date_parts":
        return f"{field_id(bound_field)}-day"
    if widget_kind(bound_field.field.widget) in {"radios", "checkboxes"}:
        options = _choice_options(bound_field)
        if options and options[0]["attrs"].get("id"):
            return str(options[0]["attrs"]["id"])
    return field_id(bound_field)


def _extra_attrs(attrs: dict[str, Any]) -> SafeString:
    """Escaped ` name="value"` pairs for the attributes the templates do not write."""
    return flatatt({k: v for k, v in attrs.items() if k not in _MANAGED_ATTRS and v is not None})


def _classes(*parts: Any) -> str:
    return " ".join(str(part) for part in parts if part)


def _date_value(value: Any) -> str | None:
    """<input type="date"> needs ISO 8601 whatever the locale's input format is."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value in (None, ""):
        return None
    return str(value)  # what the user typed, shown back to them


@register.simple_tag
def govuk_error_summary(form: forms.BaseForm) -> SafeString:
    """GOV.UK error summary for a bound, invalid form; nothing otherwise.

    Non-field errors are listed first as plain text, then each field's errors in field order,
    linking to the field (hidden fields' errors are plain text: there is nothing to go to).
    """
    if not form.is_bound or not form.errors:
        return mark_safe("")
    items: list[dict[str, str]] = [
        {"message": str(message), "href": ""} for message in form.non_field_errors()
    ]
    for bound_field in form:
        href = "" if bound_field.is_hidden else f"#{error_target_id(bound_field)}"
        items.extend({"message": str(message), "href": href} for message in bound_field.errors)
    return mark_safe(render_to_string("govuk/error_summary.html", {"items": items}))  # noqa: S308


@register.simple_tag
def govuk_field(
    bound_field: BoundField,
    label_size: str = "",
    classes: str = "",
    label_is_page_heading: bool = False,
    hint: str | None = None,
    label: str | None = None,
    form_group_classes: str = "",
) -> SafeString:
    """A GOV.UK form group for one field: label or legend, hint, error message and control.

    ``label_size``: "xl", "l", "m" or "s" (defaults to "l" for a page heading);
    ``classes``: extra classes for the control (e.g. "govuk-input--width-10",
    "govuk-radios--inline"); ``label_is_page_heading``: wrap the label/legend in <h1>;
    ``hint``/``label``: override the field's help_text/label.
    """
    if not isinstance(bound_field, BoundField):
        raise TypeError("govuk_field takes a bound field, such as form.name")
    if label_size and label_size not in LABEL_SIZES:
        raise ValueError(f"label_size must be one of {sorted(LABEL_SIZES)}, not {label_size!r}")
    widget = bound_field.field.widget
    kind = widget_kind(widget)
    if kind == "hidden":
        return mark_safe(str(bound_field))  # noqa: S308 - Django's widget rendering escapes
    if label_is_page_heading and not label_size:
        label_size = "l"

    base_id = field_id(bound_field)
    hint_text = bound_field.help_text if hint is None else hint
    errors = [str(error) for error in bound_field.errors]
    hint_id = f"{base_id}-hint" if hint_text else ""
    error_id = f"{base_id}-error" if errors else ""
    described_by = _classes(hint_id, error_id)

    attrs: dict[str, Any] = {"id": base_id}
    if bound_field.field.disabled:
        attrs["disabled"] = True
    value = bound_field.value()
    widget_context = widget.get_context(bound_field.html_name, value, attrs)["widget"]
    widget_attrs = widget_context["attrs"]

    context: dict[str, Any] = {
        "kind": kind,
        "id": base_id,
        "name": bound_field.html_name,
        "label": bound_field.label if label is None else label,
        "label_size": label_size,
        "label_is_page_heading": label_is_page_heading,
        "hint": hint_text,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "described_by": described_by,
        "form_group_classes": _classes(
            "govuk-form-group", errors and "govuk-form-group--error", form_group_classes
        ),
        "extra_attrs": _extra_attrs(widget_attrs),
        "type": widget_context.get("type", ""),
        "value": widget_context.get("value"),
        "checked": bool(widget_attrs.get("checked")),
    }

    widget_class = widget_attrs.get("class", "")
    if kind in {"input", "date", "file"}:
        base, error_class = {
            "input": ("govuk-input", "govuk-input--error"),
            "date": ("govuk-input", "govuk-input--error"),
            "file": ("govuk-file-upload", "govuk-file-upload--error"),
        }[kind]
        if kind == "date":
            context["type"] = "date"
            context["value"] = _date_value(value)
            classes = classes or "govuk-input--width-10"
        if kind == "file":
            context["value"] = None  # browsers never accept a value for a file input
        context["control_classes"] = _classes(base, widget_class, classes, errors and error_class)
        template_name = "govuk/fields/input.html"
    elif kind == "date_parts":
        entry = entry_of(value)
        context["parts"] = [
            {
                "id": f"{base_id}-{part}",
                "name": f"{bound_field.html_name}-{part}",
                "label": PART_LABELS[part],
                "value": text,
                "classes": _classes(
                    "govuk-input govuk-date-input__input",
                    "govuk-input--width-4" if part == "year" else "govuk-input--width-2",
                    errors and "govuk-input--error",
                ),
            }
            for part, text in zip(PARTS, entry, strict=True)
        ]
        template_name = "govuk/fields/date_parts.html"
    elif kind == "textarea":
        # Django's default cols="40" means nothing next to GOV.UK's full-width textarea.
        context["extra_attrs"] = _extra_attrs(
            {k: v for k, v in widget_attrs.items() if k != "cols"}
        )
        context["control_classes"] = _classes(
            "govuk-textarea", widget_class, classes, errors and "govuk-textarea--error"
        )
        template_name = "govuk/fields/textarea.html"
    elif kind == "select":
        context["control_classes"] = _classes(
            "govuk-select", widget_class, classes, errors and "govuk-select--error"
        )
        context["optgroups"] = [
            {"label": group_name, "options": group_options}
            for group_name, group_options, _index in widget_context["optgroups"]
        ]
        template_name = "govuk/fields/select.html"
    elif kind in {"radios", "checkboxes"}:
        prefix = "govuk-radios" if kind == "radios" else "govuk-checkboxes"
        context["prefix"] = prefix
        context["control_classes"] = _classes(prefix, classes)
        context["options"] = [
            {
                "id": option["attrs"].get("id", ""),
                "name": option["name"],
                "value": option["value"],
                "label": option["label"],
                "checked": bool(option["selected"]),
                "extra_attrs": _extra_attrs(option["attrs"]),
            }
            for group_name, group_options, _index in widget_context["optgroups"]
            for option in group_options
        ]
        template_name = "govuk/fields/choices.html"
    else:  # checkbox
        context["control_classes"] = _classes("govuk-checkboxes", classes)
        template_name = "govuk/fields/checkbox.html"

    return mark_safe(render_to_string(template_name, context))  # noqa: S308


@register.simple_tag
def govuk_button(
    text: str,
    classes: str = "",
    name: str = "",
    value: str = "",
    href: str = "",
    type: str = "submit",
    prevent_double_click: bool = True,
) -> SafeString:
    """A GOV.UK button: a <button> (submit by default), or a link styled as one with ``href``."""
    return mark_safe(  # noqa: S308 - the template escapes every value
        render_to_string(
            "govuk/button.html",
            {
                "text": text,
                "classes": _classes("govuk-button", classes),
                "name": name,
                "value": value,
                "href": href,
                "type": type,
                "prevent_double_click": prevent_double_click,
            },
        )
    )
