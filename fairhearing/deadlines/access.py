"""Who decides a request to stop a time limit's clock (R-56).

`STOP_DECIDERS` is the declared table: for each role that may approve or decline clock stops,
the action on the case (`cases.access.POLICY`) the role must hold there. The case team acts on
its cases; oversight, which reads every case (R-32), decides there too. A role outside the
table, or someone who cannot reach the case, is refused as the case refuses (404, recorded in
the interference register). Within the table, the case's rulebook names who decides
(`clock_stops.approved_by`), and whoever asked never decides their own request: refused with
`PermissionDenied`, which the refusal middleware (pages) or the API's handler records.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from fairhearing.accounts.models import Role
from fairhearing.cases.access import NOT_FOUND, Action, CaseNotFound, case_for, cases_visible_to
from fairhearing.cases.models import Case
from fairhearing.oversight.services import access_attempt_record

from .clock_stops import clock_stop_decider_refusal
from .models import ClockStop

STOP_DECIDERS: dict[str, Action] = {
    Role.CASE_OFFICER: "act",
    Role.INVESTIGATOR: "act",
    Role.OVERSIGHT: "view",
}
NO_SUCH_STOP = "No such clock stop on this case."


def clock_stop_for(
    user: Any, reference: str, stop_id: int, *, request: HttpRequest | None = None
) -> ClockStop:
    """The case's clock stop, if this user may approve or decline it; otherwise refused and
    recorded."""
    action = STOP_DECIDERS.get(getattr(user, "role", ""))
    if action is None:
        case = Case.objects.filter(reference=reference).first()
        access_attempt_record(
            user=user, reference=reference, action="act", case=case, request=request
        )
        raise CaseNotFound(NOT_FOUND)
    case = case_for(user, reference, action=action, request=request)
    stop = (
        ClockStop.objects.select_related("deadline", "case__rulebook", "requested_by")
        .filter(pk=stop_id, case=case)
        .first()
    )
    if stop is None:
        raise Http404(NO_SUCH_STOP)
    refusal = clock_stop_decider_refusal(user, stop)
    if refusal:
        raise PermissionDenied(refusal)
    return stop


def may_decide_clock_stop(user: Any, stop: ClockStop) -> bool:
    """Whether the case page offers this user Approve and Decline (nothing is recorded)."""
    action = STOP_DECIDERS.get(getattr(user, "role", ""))
    return (
        action is not None
        and clock_stop_decider_refusal(user, stop) is None
        and cases_visible_to(user, action).filter(pk=stop.case_id).exists()
    )
