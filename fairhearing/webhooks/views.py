"""The delivery log, with replay, for administrators (it holds no case content)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fairhearing.accounts.second_factor import require_recent_auth

from .access import delivery_for, delivery_log_reader
from .models import Delivery
from .services import delivery_replay


@login_required
def delivery_log_view(request: HttpRequest) -> HttpResponse:
    user = delivery_log_reader(request.user)
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
    user: Any = request.user
    delivery = delivery_for(user, pk)
    delivery_replay(actor=user, delivery=delivery)
    messages.success(request, f"Delivery {delivery.pk} will be sent again now.")
    return redirect("webhooks:log")
