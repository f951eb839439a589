"""Dates people type, kept to the range that makes sense for each (a hearing is in the coming
year, an approach happened in the last two), with the message in GOV.UK's words."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

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
        return "today"
    return date_format(day, "j F Y")


class DateInRange(forms.DateField):
    """A date between `earliest` and `latest` (each worked out when the form is checked):
    "{what} must be today or in the past", "... must be after 6 December 2024"."""

    def __init__(self, *, what: str, earliest: Bound, latest: Bound, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.what, self.earliest, self.latest = what, earliest, latest

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        day = value.date() if isinstance(value, dt.datetime) else value
        low, high = self.earliest(), self.latest()
        if day > high:
            message = (
                f"{self.what} must be today or in the past."
                if high == today()
                else f"{self.what} must be on or before {_words(high)}."
            )
            raise forms.ValidationError(message, code="too_late")
        if day < low:
            message = (
                f"{self.what} must be in the future."
                if low == tomorrow()
                else f"{self.what} must be today or in the future."
                if low == today()
                else f"{self.what} must be on or after {_words(low)}."
            )
            raise forms.ValidationError(message, code="too_early")


class DateTimeInRange(forms.DateTimeField):
    """A date and time whose day lies between `earliest` and `latest`."""

    def __init__(self, *, what: str, earliest: Bound, latest: Bound, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._days = DateInRange(what=what, earliest=earliest, latest=latest, required=False)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value not in self.empty_values:
            self._days.validate(
                timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
            )
