from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from fairhearing.accounts.models import Role
from fairhearing.oversight.services import access_attempt_record

from .models import Seat

NOT_YOUR_SEAT = "No such panel seat is yours."


def seat_for(user: Any, seat_id: int, *, request: HttpRequest | None = None) -> Seat:
    """A panel member's own seat on a sitting panel; anything else is refused and recorded."""

    seat = (
        Seat.objects.select_related("panel__case__rulebook", "panel__case__respondent", "user")
        .filter(pk=seat_id)
        .first()
    )
    if (
        seat is None
        or seat.user_id != user.pk
        or seat.left_at is not None
        or seat.panel.dissolved_at is not None
    ):
        case = seat.panel.case if seat is not None else None
        access_attempt_record(
            user=user,
            reference=case.reference if case else f"seat {seat_id}",
            action="sit",
            case=case,
            request=request,
        )
        raise Http404(NOT_YOUR_SEAT)
    return seat


# Who keeps the training records that R-64's check before assignment and the draw read.
TRAINING_KEEPERS = frozenset({Role.ADMINISTRATOR})
NOT_A_TRAINING_KEEPER = "Training records are kept by administrators."


def require_training_keeper(user: Any) -> None:
    """Anyone else is refused (and recorded by the refusal middleware)."""
    if getattr(user, "role", None) not in TRAINING_KEEPERS:
        raise PermissionDenied(NOT_A_TRAINING_KEEPER)
