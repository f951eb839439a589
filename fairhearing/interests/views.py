"""Declaring interests, stepping aside from a case, and bias challenges."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.accounts.models import User
from fairhearing.cases.access import case_for
from fairhearing.cases.forms import ReasonsForm
from fairhearing.core.errors import CaseError
from fairhearing.panels.queries import team_and_panel_members
from fairhearing.people.models import Person
from fairhearing.workflow import bias

from . import services
from .access import case_to_step_aside_from
from .forms import ChallengeDecisionForm, ChallengeForm, DeclarationForm
from .models import BiasChallenge, Declaration
from .queries import active_declarations, case_parties


@login_required
@require_http_methods(["GET", "POST"])
def declaration_list_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = DeclarationForm(request.POST or None, organisation_id=user.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_declare(
                actor=user,
                kind=form.cleaned_data["kind"],
                person=form.cleaned_data.get("person"),
                branch=form.cleaned_data.get("branch"),
                text=form.cleaned_data.get("text", ""),
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Interest declared.")
            return redirect("interests:list")
    return render(
        request,
        "interests/declaration_list.html",
        {"form": form, "declarations": active_declarations(user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def declaration_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(
        Declaration, pk=pk, user=request.user, withdrawn_at__isnull=True
    )
    services.interest_withdraw(actor=request.user, declaration=declaration)
    messages.success(request, "Declaration withdrawn.")
    return redirect("interests:list")


@login_required
@require_http_methods(["GET", "POST"])
def recuse_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Step aside from a case: open to anyone on its team or one of its panels, even before
    they have affirmed (so this reaches the case by membership, not by `case_for`)."""
    case = case_to_step_aside_from(request.user, reference, request=request)
    form = ReasonsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bias.case_recuse(actor=request.user, case=case, reasons=form.cleaned_data["reasons"])
        except CaseError as exc:
            form.add_error("reasons", str(exc))
        else:
            messages.success(request, f"You have stepped aside from {case.reference}.")
            # Back to where their work is: a panel member's seats, the case list for staff.
            return redirect("accounts:home")
    return render(
        request,
        "interests/recuse.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_raise_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = ChallengeForm(
        request.POST or None, members=team_and_panel_members(case), parties=case_parties(case)
    )
    if request.method == "POST" and form.is_valid():
        try:
            bias.challenge_raise(
                actor=request.user,
                case=case,
                challenged=User.objects.get(pk=form.cleaned_data["challenged"]),
                raised_by=Person.objects.get(pk=form.cleaned_data["raised_by"]),
                grounds=form.cleaned_data["grounds"],
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Challenge recorded; someone other than the member challenged decides it."
            )
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "interests/challenge_raise.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_decide_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    challenge = get_object_or_404(BiasChallenge, pk=pk, case=case)
    form = ChallengeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bias.challenge_decide(
                actor=request.user,
                challenge=challenge,
                upheld=form.cleaned_data["decision"] == BiasChallenge.Decision.UPHELD,
                reasons=form.cleaned_data["reasons"],
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Challenge decided.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "interests/challenge_decide.html",
        {"case": case, "challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )
