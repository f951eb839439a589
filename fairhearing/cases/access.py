"""The only way a view or the API reaches a case.

Who may do what, for now (the independence issue narrows this to need-to-know):
- case officers read and act on every case of their organisation (they triage);
- investigators read and act on cases they are assigned to;
- oversight reads every case and changes nothing;
- everyone else (governing body, administrators, panel members) reaches no case at all.
Every refusal is recorded on the ledger, for the interference register.
"""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from fairhearing.accounts.models import Role
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append_now

from .models import Case

Action = Literal["view", "act"]
REFUSED = "You do not have access to this case. This attempt has been recorded."


class CaseAccessDenied(PermissionDenied):
    pass


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases the user may list (an empty queryset for roles that see no case)."""
    base = Case.objects.filter(organisation_id=user.organisation_id)
    if user.role in {Role.CASE_OFFICER, Role.OVERSIGHT}:
        return base
    if user.role == Role.INVESTIGATOR:
        return base.filter(assignments__user=user, assignments__ended_at__isnull=True).distinct()
    return base.none()


def _allowed(user: Any, case: Case, action: Action) -> bool:
    if not user.is_authenticated or case.organisation_id != user.organisation_id:
        return False
    if user.role == Role.CASE_OFFICER:
        return True
    if user.role == Role.OVERSIGHT:
        return action == "view"
    if user.role == Role.INVESTIGATOR:
        return case.assignments.filter(user=user, ended_at__isnull=True).exists()
    return False


def case_for(user: Any, reference: str, *, action: Action = "view") -> Case:
    """The case, if this user may take this action on it; else record the attempt and refuse."""
    case = Case.objects.select_related("rulebook", "respondent").filter(reference=reference).first()
    if case is None:
        raise Http404("No case has that reference.")
    if not _allowed(user, case, action):
        event_append_now(
            actor=user if user.is_authenticated else None,
            kind=EventKind.ACCESS_REFUSED,
            case_id=case.pk,
            payload={"action": action, "role": getattr(user, "role", "anonymous")},
        )
        raise CaseAccessDenied(REFUSED)
    return case


def user_may_act(user: Any, case: Case) -> bool:
    return _allowed(user, case, "act")
