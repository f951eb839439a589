"""Reads of the time limits that other apps and the operators' metrics share."""

import datetime as dt

from .models import Deadline


def overdue_limits_count(*, now: dt.datetime, cap: int) -> int:
    """Running time limits that bind the organisation and are past their due time, counted up
    to `cap`: the range of `deadline_status_due` (status, due_at) read by index, each row's
    `binds` checked, stopping at `cap` rows."""
    overdue = Deadline.objects.filter(
        status=Deadline.Status.OPEN, binds=Deadline.Binds.ORGANISATION, due_at__lt=now
    )
    return int(overdue.order_by().values("pk")[:cap].count())
