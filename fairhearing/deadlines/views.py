from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from fairhearing.cases.access import case_for
from fairhearing.cases.forms import ReasonsForm

from .models import Deadline
from .services import DeadlineError, deadline_pause, deadline_resume


@login_required
@require_http_methods(["GET", "POST"])
def deadline_clock_view(request: HttpRequest, reference: str, pk: int, action: str) -> HttpResponse:
    """Pause or restart a case's time limit, with reasons (R-40)."""
    case = case_for(request.user, reference, action="act", request=request)
    deadline = get_object_or_404(Deadline, pk=pk, case=case)
    form = ReasonsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = deadline_pause if action == "pause" else deadline_resume
        try:
            service(actor=request.user, deadline=deadline, reasons=form.cleaned_data["reasons"])
        except DeadlineError as error:
            form.add_error("reasons", str(error))
        else:
            messages.success(request, "Clock paused." if action == "pause" else "Clock restarted.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "deadlines/deadline_clock.html",
        {"case": case, "deadline": deadline, "form": form, "action": action},
        status=400 if form.errors else 200,
    )
