"""Reads of the time limits and their clock stops that other apps and the operators' metrics
share."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Case

from .models import ClockStop, Deadline


def overdue_limits_count(*, now: dt.datetime, cap: int) -> int:
    """Running time limits that bind the organisation and are past their due time, counted up
    to `cap`: the range of `deadline_status_due` (status, due_at) read by index, each row's
    `binds` checked, stopping at `cap` rows."""
    overdue = Deadline.objects.filter(
        status=Deadline.Status.OPEN, binds=Deadline.Binds.ORGANISATION, due_at__lt=now
    )
    return int(overdue.order_by().values("pk")[:cap].count())


def clock_stops_live(case: Case) -> dict[int, ClockStop]:
    """The case's clock stops awaiting a decision or in force, by time limit (at most one each:
    `clockstop_one_live_per_deadline`)."""
    stops = ClockStop.objects.filter(
        case=case, status__in=[ClockStop.Status.REQUESTED, ClockStop.Status.STOPPED]
    ).select_related("requested_by", "decided_by", "case__rulebook")
    return {stop.deadline_id: stop for stop in stops}


def clock_stops_awaiting(user: Any) -> QuerySet[ClockStop]:
    """The clock stops awaiting a decision that wait for `user` beyond their own cases (the
    case team finds theirs on the cases they run): every one of their organisation for
    oversight; none for anyone else. Whether the case's rulebook names oversight is for the
    case page and `access.clock_stop_for`."""
    if getattr(user, "role", None) != Role.OVERSIGHT:
        return ClockStop.objects.none()
    return ClockStop.objects.filter(
        status=ClockStop.Status.REQUESTED, case__organisation_id=user.organisation_id
    )
