"""Working days on an organisation's calendar: weekends and the bank holidays of its region.

A limit of N working days starting on day D ends at the close (23:59:59.999999 local time) of
the Nth working day after D; D itself does not count.
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings


@lru_cache(maxsize=32)
def _holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision)


class WorkingCalendar:
    def __init__(self, country: str = "GB", subdivision: str | None = "ENG", tz: str = "") -> None:
        self.country = country
        self.subdivision = subdivision
        self.tz = ZoneInfo(tz or settings.TIME_ZONE)
        self._holidays = _holidays(country, subdivision)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The Nth working day after `day` (N = 0 gives `day` itself)."""
        current = day
        remaining = n
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def end_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.max, tzinfo=self.tz)

    def due_at(self, start: dt.datetime, working_days: int) -> dt.datetime:
        return self.end_of_day(self.add_working_days(self.local_date(start), working_days))
