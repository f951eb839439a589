"""Readiness for load balancers and monitors, and the status page for administrators."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from fairhearing.accounts.second_factor import require_recent_auth

from . import queries, services
from .access import worker_status_user
from .labels import task_label

RETRIED = "“{label}” will run again as soon as a worker is free."


def readyz(request: HttpRequest) -> JsonResponse:
    """200 when a worker is alive and every recurring job ran on time; 503, with the
    problems in words, when not. Names no case, person or task."""
    state = queries.readiness()
    body = {
        "status": "ok" if not state.problems else "unready",
        "workers": len(state.workers),
        "schedules": {
            s.name: {
                "last_finished_at": s.last_finished_at.isoformat() if s.last_finished_at else None,
                "last_succeeded_at": s.last_succeeded_at.isoformat()
                if s.last_succeeded_at
                else None,
                "late": s.late,
            }
            for s in state.schedules
        },
        "problems": state.problems,
    }
    return JsonResponse(body, status=503 if state.problems else 200)


@login_required
def status_view(request: HttpRequest) -> HttpResponse:
    user: Any = worker_status_user(request.user)
    state = queries.worker_state(organisation_id=user.organisation_id)
    running = [(w, task_label(w.task_path) if w.task_path else "") for w in state.workers]
    return render(request, "worker/status.html", {"state": state, "running": running})


@login_required
@require_POST
@require_recent_auth()
def retry_view(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    user: Any = worker_status_user(request.user)
    shown = queries.failed_task_shown(task_id=str(task_id), organisation_id=user.organisation_id)
    if not shown:
        raise Http404("No such failed task.")
    result = get_object_or_404(DBTaskResult, pk=task_id)
    try:
        services.task_retry(actor=user, result=result)
    except services.TaskNotRetriable as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, RETRIED.format(label=task_label(result.task_path)))
    return redirect("worker:status")
