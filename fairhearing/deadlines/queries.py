"""Reads of time limits and their clock stops."""

from fairhearing.cases.models import Case

from .models import ClockStop


def clock_stops_live(case: Case) -> dict[int, ClockStop]:
    """The case's clock stops awaiting a decision or in force, by time limit (at most one each:
    `clockstop_one_live_per_deadline`)."""
    stops = ClockStop.objects.filter(
        case=case, status__in=[ClockStop.Status.REQUESTED, ClockStop.Status.STOPPED]
    ).select_related("requested_by", "decided_by", "case__rulebook")
    return {stop.deadline_id: stop for stop in stops}
