"""Demo clock stops (R-56, fictional reasons only): on the officer's open cases, one pause
approved by oversight (the clock stopped until its date) and one awaiting a colleague's
approval, the clock still running."""

import datetime as dt

from django.utils import timezone

from fairhearing.accounts.models import User
from fairhearing.deadlines.clock_stops import clock_stop_approve, deadline_pause
from fairhearing.deadlines.models import ClockStop, Deadline
from fairhearing.organisations.models import Organisation

STOPPED = (
    "The respondent is in hospital; the branch secretary has sent a note from the ward. "
    "Nothing can be put to him before he is discharged."
)
AWAITING = "The complainant asked for two weeks to gather the messages she still has."


def clock_stops_demo(organisation: Organisation, users: dict[str, User]) -> list[ClockStop]:
    officer = users["officer"]
    running = (
        Deadline.objects.filter(
            case__organisation=organisation,
            case__closed_at__isnull=True,
            case__assignments__user=officer,
            case__assignments__ended_at__isnull=True,
            status=Deadline.Status.OPEN,
            binds=Deadline.Binds.ORGANISATION,
            awaits_service=False,
            due_at__gt=timezone.now(),
        )
        .select_related("case")
        .order_by("case__reference")
    )
    stops = []
    today = timezone.localdate()
    for deadline, reasons, days in zip(running[:2], (STOPPED, AWAITING), (21, 14), strict=False):
        stop = deadline_pause(
            actor=officer,
            deadline=deadline,
            reasons=reasons,
            restart_on=today + dt.timedelta(days=days),
        )
        if reasons is STOPPED:
            clock_stop_approve(
                actor=users["oversight"], stop=stop, reasons="The ward's note is on the file."
            )
        stops.append(stop)
    return stops
