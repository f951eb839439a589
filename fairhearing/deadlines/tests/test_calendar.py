import datetime as dt

import pytest

from fairhearing.deadlines.calendar import WorkingCalendar

england = WorkingCalendar("GB", "ENG", tz="Europe/London")
scotland = WorkingCalendar("GB", "SCT", tz="Europe/London")


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 11, 23), 3, dt.date(2026, 11, 26)),  # Monday + 3: Thursday
        (dt.date(2026, 11, 27), 1, dt.date(2026, 11, 30)),  # Friday + 1 skips the weekend
        (dt.date(2026, 11, 28), 1, dt.date(2026, 11, 30)),  # from a Saturday
        (dt.date(2026, 12, 24), 1, dt.date(2026, 12, 29)),  # Christmas; Boxing Day moved to Mon 28
        (dt.date(2027, 3, 25), 1, dt.date(2027, 3, 30)),  # Good Friday and Easter Monday
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 4)),  # New Year's Day, then a weekend
        (dt.date(2026, 11, 30), 0, dt.date(2026, 11, 30)),
    ],
)
def test_it_adds_working_days_across_weekends_and_bank_holidays(
    start: dt.date, days: int, expected: dt.date
) -> None:
    assert england.add_working_days(start, days) == expected


def test_it_uses_the_organisations_region() -> None:
    # 2 January is a bank holiday in Scotland but not in England (2026: a Friday).
    assert england.add_working_days(dt.date(2026, 1, 1), 1) == dt.date(2026, 1, 2)
    assert scotland.add_working_days(dt.date(2026, 1, 1), 1) == dt.date(2026, 1, 5)


def test_it_counts_working_days_between_two_dates() -> None:
    assert england.working_days_between(dt.date(2026, 12, 3), dt.date(2026, 12, 14)) == 7
    assert england.working_days_between(dt.date(2026, 12, 24), dt.date(2027, 1, 4)) == 4
    assert england.working_days_between(dt.date(2026, 12, 14), dt.date(2026, 12, 3)) == 0


def test_a_limit_ends_at_the_close_of_its_last_working_day_local_time() -> None:
    start = dt.datetime(2026, 11, 27, 16, 30, tzinfo=dt.UTC)  # a Friday
    due = england.due_at(start, 3)
    assert due.date() == dt.date(2026, 12, 2)
    assert (due.hour, due.minute) == (23, 59)
    assert due.utcoffset() == dt.timedelta(0)  # GMT in winter
    summer = england.due_at(dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC), 1)
    assert summer.utcoffset() == dt.timedelta(hours=1)  # BST
