from typing import Any

from django.http import HttpRequest

from fairhearing.cases.access import case_for
from fairhearing.cases.models import Case
from fairhearing.panels.queries import user_on_case


def case_to_step_aside_from(
    user: Any, reference: str, *, request: HttpRequest | None = None
) -> Case:
    """A case the user is on (team or panel, even before affirming), so that they can step
    aside; anything else goes through `case_for`, which records and refuses."""
    case = Case.objects.filter(reference=reference).first()
    if case is not None and user.is_authenticated and user_on_case(user, case):
        return case
    return case_for(user, reference, action="act", request=request)
