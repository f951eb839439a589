"""The delivery log, with replay, for administrators (it holds no case content)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fairhearing.accounts.models import Role
from fairhearing.accounts.second_factor import require_recent_auth

from .models import Delivery
from .services import delivery_replay

ONLY_ADMINISTRATORS = "The webhook delivery log is for administrators."


def _administrator(request: HttpRequest) -> Any:
    user: Any = request.user
    if user.role != Role.ADMINISTRATOR:
        raise PermissionDenied(ONLY_ADMINISTRATORS)
    return user


@login_required
def delivery_log_view(request: HttpRequest) -> HttpResponse:
    user = _administrator(request)
    deliveries = (
        Delivery.objects.filter(endpoint__organisation_id=user.organisation_id)
        .select_related("endpoint", "event")
        .order_by("-pk")[:200]
    )
    return render(request, "webhooks/delivery_log.html", {"deliveries": deliveries})


@login_required
@require_POST
@require_recent_auth()
def delivery_replay_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _administrator(request)
    delivery = get_object_or_404(Delivery, pk=pk, endpoint__organisation_id=user.organisation_id)
    delivery_replay(actor=user, delivery=delivery)
    messages.success(request, f"Delivery {delivery.pk} will be sent again now.")
    return redirect("webhooks:log")
