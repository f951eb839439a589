"""Oversight's pages (the interference register) and staff recording an approach."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fairhearing.accounts.models import Role
from fairhearing.cases.access import case_for
from fairhearing.cases.services import CaseError

from . import queries
from .forms import ApproachForm, VerificationForm
from .models import Verification
from .services import approach_record, verification_verify, verification_veto

ONLY_OVERSIGHT = "The interference register is for oversight only."


@login_required
def register_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role != Role.OVERSIGHT:
        raise PermissionDenied(ONLY_OVERSIGHT)
    organisation_id = user.organisation_id
    context = {
        "attempts": Paginator(queries.register_attempts(organisation_id), 50).get_page(
            request.GET.get("page")
        ),
        "approaches": queries.register_approaches(organisation_id)[:100],
        "recusals": queries.register_recusals(organisation_id)[:100],
        "challenges": queries.register_challenges(organisation_id)[:100],
        "verifications": queries.register_verifications(organisation_id)[:100],
        "roles": dict(Role.choices),
    }
    return render(request, "oversight/register.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def approach_record_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = ApproachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approach_record(actor=request.user, case=case, **form.cleaned_data)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Approach recorded in the interference register.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "oversight/approach_record.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def verification_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Oversight verifies or vetoes a panel decision held for verification (R-32)."""
    case = case_for(request.user, reference, action="view", request=request)
    verification = (
        Verification.objects.filter(case=case, status=Verification.Status.PENDING)
        .select_related("stage_change")
        .first()
    )
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and verification is not None and form.is_valid():
        service = (
            verification_verify if form.cleaned_data["decision"] == "verify" else verification_veto
        )
        try:
            service(
                actor=request.user, verification=verification, reasons=form.cleaned_data["reasons"]
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Decision verified." if service is verification_verify else "Decision vetoed.",
            )
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "oversight/verification.html",
        {"case": case, "verification": verification, "form": form, "spec": case.rulebook.spec},
        status=400 if form.errors else 200,
    )
