"""Who follows up a sanction's conditions: whoever may act on the case (its team), through
`case_for`, which records a refusal; oversight reads them where it reads the case."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from fairhearing.accounts.models import Role
from fairhearing.cases.access import Action, case_for, cases_visible_to
from fairhearing.cases.models import Case

from .models import Condition

NO_SUCH_CONDITION = "There is no such condition."
FOLLOWS_UP = frozenset({Role.CASE_OFFICER, Role.INVESTIGATOR, Role.OVERSIGHT})
NOT_FOR_YOU = "Sanctions are followed up by case teams and oversight."


def may_follow_up(user: Any) -> bool:
    """Whether the menu offers this user the sanctions to follow up."""
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) in FOLLOWS_UP


def follow_up_cases(user: Any) -> QuerySet[Case]:
    """The cases whose conditions this user follows up: those they act on (oversight: those
    it reads, every case)."""
    if not may_follow_up(user):
        raise PermissionDenied(NOT_FOR_YOU)
    return cases_visible_to(user, "view" if user.role == Role.OVERSIGHT else "act")


def condition_for(
    user: Any, pk: int, *, action: Action = "act", request: HttpRequest | None = None
) -> Condition:
    """The condition, if this user may take `action` on its case; otherwise refused as
    `case_for` refuses (recorded, "not found")."""
    condition = Condition.objects.select_related("case").filter(pk=pk).first()
    if condition is None:
        raise Http404(NO_SUCH_CONDITION)
    case = case_for(user, condition.case.reference, action=action, request=request)
    condition.case = case
    return condition
