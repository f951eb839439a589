"""Pages for panel members: their seats, affirming no conflict, voting; and the case
officer's actions to draw a panel or fill a seat."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.accounts.models import User
from fairhearing.cases.access import case_for
from fairhearing.cases.forms import ReasonsForm
from fairhearing.core.errors import CaseError
from fairhearing.organisations.models import Organisation

from . import services
from .access import require_training_keeper, seat_for
from .forms import InterimSuspensionForm, TrainingRecordForm, VoteForm
from .models import Panel, Seat, Vote
from .queries import training_overview


@login_required
def seat_list_view(request: HttpRequest) -> HttpResponse:
    """The panels this member sits on."""
    user: Any = request.user
    seats = (
        Seat.objects.filter(user=user, left_at__isnull=True, panel__dissolved_at__isnull=True)
        .select_related("panel__case")
        .order_by("-panel__drawn_at")
    )
    return render(request, "panels/seat_list.html", {"seats": seats})


@login_required
@require_http_methods(["GET", "POST"])
def seat_affirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    seat = seat_for(request.user, pk, request=request)
    case = seat.panel.case
    error = ""
    if request.method == "POST":
        try:
            services.seat_affirm(actor=request.user, seat=seat)
        except CaseError as exc:
            error = str(exc)
        else:
            messages.success(request, "Affirmed: you can now read the case.")
            return redirect("cases:detail", reference=case.reference)
    parties = [case.respondent.full_name] + [
        p.person.full_name for p in case.parties.select_related("person")
    ]
    return render(
        request,
        "panels/seat_affirm.html",
        {"seat": seat, "case": case, "parties": parties, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_vote_view(request: HttpRequest, pk: int) -> HttpResponse:
    seat = seat_for(request.user, pk, request=request)
    case = seat.panel.case
    spec = case.rulebook.spec
    choices = services.voting_transitions(case, seat.panel)
    existing = Vote.objects.filter(seat=seat).first()
    form = VoteForm(request.POST or None, spec=spec, choices=choices)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.panel_vote(
                actor=request.user,
                seat=seat,
                transition=form.cleaned_data["transition"],
                sanction=form.cleaned_data["sanction"],
                sanction_ends_on=form.cleaned_data["sanction_ends_on"],
                reasons=form.cleaned_data["reasons"],
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your vote is recorded.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "panels/seat_vote.html",
        {
            "seat": seat,
            "case": case,
            "spec": spec,
            "form": form,
            "choices": choices,
            "existing": existing,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def panel_draw_view(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    if kind not in Panel.Kind.values:
        raise Http404("No such kind of panel.")
    try:
        _, drawn = services.panel_constitute(actor=request.user, case=case, kind=kind)
        messages.success(
            request,
            f"{Panel.Kind(kind).label} drawn." if drawn else "Empty seat filled by a fresh draw.",
        )
    except CaseError as exc:
        messages.error(request, str(exc))
    return redirect("cases:detail", reference=case.reference)


def _chair_seat(user: Any, case: Any) -> Seat | None:
    return Seat.objects.filter(
        panel__case=case,
        panel__dissolved_at__isnull=True,
        user=user,
        is_chair=True,
        left_at__isnull=True,
    ).first()


@login_required
@require_http_methods(["GET", "POST"])
def interim_suspension_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The chair records the panel's interim suspension (never automatic, R-27)."""
    case = case_for(request.user, reference, action="view", request=request)
    form = InterimSuspensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interim_suspension_impose(
                actor=request.user,
                case=case,
                reasons=form.cleaned_data["reasons"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Interim suspension recorded, with its review date.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "panels/interim_suspension.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def interim_suspension_decide_view(
    request: HttpRequest, reference: str, action: str
) -> HttpResponse:
    """The chair records the panel's review of the suspension: keep it (the next review comes
    due) or lift it."""
    case = case_for(request.user, reference, action="view", request=request)
    service = {
        "review": services.interim_suspension_review,
        "lift": services.interim_suspension_lift,
    }[action]
    form = ReasonsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, case=case, reasons=form.cleaned_data["reasons"])
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            done = "reviewed and kept" if action == "review" else "lifted"
            messages.success(request, f"Interim suspension {done}.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "panels/interim_suspension_decide.html",
        {"case": case, "form": form, "action": action},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_view(request: HttpRequest) -> HttpResponse:
    """The training records (R-64): who may join a case team or sit on a panel, each course
    the rulebook requires of them and where it stands, and a course completed recorded."""
    user: Any = request.user
    require_training_keeper(user)
    spec = Organisation.objects.get(pk=user.organisation_id).current_rulebook().spec
    rows = training_overview(user.organisation_id, spec)
    courses = list(
        dict.fromkeys([*spec.training_required("case_team"), *spec.training_required("panel")])
    )
    form = TrainingRecordForm(request.POST or None, people=rows, courses=courses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = User.objects.get(pk=data["person"], organisation_id=user.organisation_id)
        try:
            services.training_record(
                actor=user,
                user=person,
                course=data["course"],
                completed_on=data["completed_on"],
                expires_on=data["expires_on"],
            )
        except CaseError as exc:
            form.add_error("course", str(exc))
        else:
            messages.success(request, f"{data['course']} recorded for {person.display_name}.")
            return redirect("panels:training")
    return render(
        request,
        "panels/training.html",
        {
            "rows": rows,
            "form": form,
            "courses": courses,
            "reminder_days": spec.training_reminder_days,
            "not_ready": sum(not row.ready for row in rows),
        },
        status=400 if form.errors else 200,
    )
