"""Dates people type, kept to the range that makes sense for each (a hearing is in the coming
year, an approach happened in the last two), with the message in GOV.UK's words."""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

Bound = Callable[[], dt.date]


def today() -> dt.date:
    return timezone.localdate()


def years_ago(years: int) -> Bound:
    return lambda: today() - dt.timedelta(days=round(365.25 * years))


def years_ahead(years: int) -> Bound:
    return lambda: today() + dt.timedelta(days=round(365.25 * years))


def tomorrow() -> dt.date:
    return today() + dt.timedelta(days=1)


def _words(day: dt.date) -> str:
    if day == today():
        return _("today")
    return date_format(day, "j F Y")


PARTS = ("day", "month", "year")


def example_date(*, past: bool = False) -> str:
    """GOV.UK's hint for the date input, "27 3 2007": a fixed day in the year before or after
    the one the form was made in (a hint, not a suggestion)."""
    year = today().year + (-1 if past else 1)
    return f"27 3 {year}"


class DateEntry(NamedTuple):
    """What a person typed in GOV.UK's day, month and year boxes, as typed."""

    day: str
    month: str
    year: str


class DateParts(forms.TextInput):
    """GOV.UK's date input: three boxes, `<name>-day`, `<name>-month` and `<name>-year`
    (rendered by the `govuk_field` tag). A form posted with one ISO value under `<name>`
    (an older page, a script) still works."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        entry = DateEntry(*(str(data.get(f"{name}-{part}", "")).strip() for part in PARTS))
        if any(entry):
            return entry
        return data.get(name)

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in PARTS)


def entry_of(value: Any) -> DateEntry:
    """The three boxes' contents for a value: what was typed, or a date's numbers."""
    if isinstance(value, DateEntry):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return DateEntry("", "", "")
    if isinstance(value, dt.date):
        return DateEntry(str(value.day), str(value.month), str(value.year))
    return DateEntry("", "", "")


def _date_of(entry: DateEntry, what: Any) -> dt.date:
    """The date the boxes make, or GOV.UK's message for what is wrong with them."""
    missing = [part for part, text in zip(PARTS, entry, strict=True) if not text]
    if missing:
        words = {"day": _("day"), "month": _("month"), "year": _("year")}
        names = (
            _(" and a ").join(words[m] for m in missing) if len(missing) == 2 else words[missing[0]]
        )
        raise forms.ValidationError(
            _("%(what)s must include a %(parts)s.") % {"what": what, "parts": names},
            code="incomplete",
        )
    if not all(text.isdigit() for text in entry):
        raise forms.ValidationError(
            _("%(what)s must be a real date.") % {"what": what}, code="invalid"
        )
    if len(entry.year) != 4:
        raise forms.ValidationError(_("The year must include 4 numbers."), code="invalid")
    try:
        return dt.date(int(entry.year), int(entry.month), int(entry.day))
    except ValueError:
        raise forms.ValidationError(
            _("%(what)s must be a real date.") % {"what": what}, code="invalid"
        ) from None


class DateInRange(forms.DateField):
    """A date between `earliest` and `latest` (each worked out when the form is checked):
    "{what} must be today or in the past", "... must be after 6 December 2024".

    With the `DateParts` widget (GOV.UK's day, month and year boxes), a part left out or a
    date that does not exist is explained in GOV.UK's words."""

    def __init__(self, *, what: Any, earliest: Bound, latest: Bound, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.what, self.earliest, self.latest = what, earliest, latest

    def to_python(self, value: Any) -> Any:
        if isinstance(value, DateEntry):
            return _date_of(value, self.what)
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        day = value.date() if isinstance(value, dt.datetime) else value
        low, high = self.earliest(), self.latest()
        what = str(self.what)
        if day > high:
            message = (
                _("%(what)s must be today or in the past.") % {"what": what}
                if high == today()
                else _("%(what)s must be on or before %(date)s.")
                % {"what": what, "date": _words(high)}
            )
            raise forms.ValidationError(message, code="too_late")
        if day < low:
            message = (
                _("%(what)s must be in the future.") % {"what": what}
                if low == tomorrow()
                else _("%(what)s must be today or in the future.") % {"what": what}
                if low == today()
                else _("%(what)s must be on or after %(date)s.")
                % {"what": what, "date": _words(low)}
            )
            raise forms.ValidationError(message, code="too_early")


class DateTimeInRange(forms.DateTimeField):
    """A date and time whose day lies between `earliest` and `latest`."""

    def __init__(self, *, what: Any, earliest: Bound, latest: Bound, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._days = DateInRange(what=what, earliest=earliest, latest=latest, required=False)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value not in self.empty_values:
            self._days.validate(
                timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
            )
