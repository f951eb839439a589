import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairhearing.cases.access import case_for
from fairhearing.cases.forms import ReasonsForm

from .access import clock_stop_for
from .clock_stops import clock_stop_approve, clock_stop_decline, deadline_pause
from .forms import ClockStopDecisionForm, ClockStopForm
from .models import Deadline
from .services import DeadlineError, deadline_resume


@login_required
@require_http_methods(["GET", "POST"])
def deadline_pause_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Stop a case's time limit until a restart date, with reasons (R-40, R-56): at once, or,
    where the rulebook asks for approval, once someone else approves it."""
    case = case_for(request.user, reference, action="act", request=request)
    deadline = get_object_or_404(Deadline, pk=pk, case=case)
    rules = case.rulebook.spec.clock_stops
    latest = timezone.localdate() + dt.timedelta(days=rules.max_days)
    form = ClockStopForm(request.POST or None, latest=latest)
    if request.method == "POST" and form.is_valid():
        try:
            stop = deadline_pause(
                actor=request.user,
                deadline=deadline,
                reasons=form.cleaned_data["reasons"],
                restart_on=form.cleaned_data["restart_on"],
            )
        except DeadlineError as error:
            form.add_error("reasons", str(error))
        else:
            if stop.awaiting:
                messages.success(
                    request, "Pause asked for: the clock runs on until someone else approves it."
                )
            else:
                messages.success(request, f"Clock paused until {stop.restart_on:%-d %B %Y}.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "deadlines/clock_stop.html",
        {"case": case, "deadline": deadline, "form": form, "rules": rules},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deadline_resume_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Restart a case's stopped time limit before its restart date, with reasons (R-40)."""
    case = case_for(request.user, reference, action="act", request=request)
    deadline = get_object_or_404(Deadline, pk=pk, case=case)
    form = ReasonsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deadline_resume(
                actor=request.user, deadline=deadline, reasons=form.cleaned_data["reasons"]
            )
        except DeadlineError as error:
            form.add_error("reasons", str(error))
        else:
            messages.success(request, "Clock restarted.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "deadlines/deadline_clock.html",
        {"case": case, "deadline": deadline, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def clock_stop_decide_view(
    request: HttpRequest, reference: str, pk: int, decision: str
) -> HttpResponse:
    """Approve or decline a request to stop a clock, with reasons: someone the rulebook names,
    never whoever asked (R-56)."""
    stop = clock_stop_for(request.user, reference, pk, request=request)
    form = ClockStopDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = clock_stop_approve if decision == "approve" else clock_stop_decline
        try:
            service(actor=request.user, stop=stop, reasons=form.cleaned_data["reasons"])
        except DeadlineError as error:
            form.add_error("reasons", str(error))
        else:
            messages.success(
                request,
                f"Clock paused until {stop.restart_on:%-d %B %Y}."
                if decision == "approve"
                else "Pause declined: the clock runs on.",
            )
            return redirect("cases:detail", reference=stop.case.reference)
    return render(
        request,
        "deadlines/clock_stop_decide.html",
        {"case": stop.case, "stop": stop, "form": form, "decision": decision},
        status=400 if form.errors else 200,
    )
