"""Every refusal reaches the interference register (R-30), wherever it happens.

Case routes record their own refusals (`cases.access.case_for`, which answers as if the case
did not exist). This middleware records the rest in one place, so no view has to remember:
- a page or list refused to a signed-in user's role (any `PermissionDenied`), with the search
  or filters they asked for;
- a case address opened by someone not signed in, before sign-in is asked for, with the
  address and where it came from.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import AccessAttempt
from .services import access_attempt_record


def _staff_case_route(request: HttpRequest, view_kwargs: dict[str, Any]) -> bool:
    """A staff page about one case (the parties' portal has its own sign-in, by link)."""
    match = request.resolver_match
    if match is None or "reference" not in view_kwargs:
        return False
    if "api" in match.namespaces:  # bearer tokens: the API records its own refusals
        return False
    return "portal" not in match.namespaces or "staff/" in (match.route or "")


class RefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if not request.user.is_authenticated and _staff_case_route(request, view_kwargs):
            access_attempt_record(
                user=None,
                reference=str(view_kwargs["reference"]),
                action=AccessAttempt.Action.ACT
                if request.method == "POST"
                else AccessAttempt.Action.VIEW,
                request=request,
            )

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied) and request.user.is_authenticated:
            access_attempt_record(
                user=request.user, action=AccessAttempt.Action.PAGE, request=request
            )
