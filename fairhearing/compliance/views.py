"""Following up a sanction: add a condition, record whether it was complied with, read its
proof, and the list of conditions to follow up across the reader's cases."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairhearing.cases.access import case_for
from fairhearing.core.errors import CaseError
from fairhearing.evidence.forms import upload_of
from fairhearing.evidence.responses import file_attachment
from fairhearing.evidence.services import EvidenceRefused
from fairhearing.evidence.storage import blob_read

from . import services
from .access import condition_for, follow_up_cases
from .forms import ConditionAddForm, ConditionRecordForm
from .models import Condition
from .queries import conditions_to_follow_up, ends_to_come


def _on_case_page(condition_or_case: Any) -> str:
    reference = getattr(condition_or_case, "reference", None) or condition_or_case.case.reference
    return reverse("cases:detail", args=[reference]) + "#sanction"


@login_required
def follow_up_view(request: HttpRequest) -> HttpResponse:
    """Conditions to follow up on the cases this user acts on (oversight: every case)."""
    cases = follow_up_cases(request.user)
    today = timezone.localdate()
    return render(
        request,
        "compliance/follow_up.html",
        {
            "rows": conditions_to_follow_up(cases, today=today),
            "ends": ends_to_come(cases, today=today),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = ConditionAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_add(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"],
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Condition added. The respondent is reminded before it is due."
            )
            return redirect(_on_case_page(case))
    return render(
        request,
        "compliance/condition_add.html",
        {"case": case, "form": form, "sanction": case.rulebook.spec.sanctions.get(case.sanction)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    condition = condition_for(request.user, pk, action="act", request=request)
    if not condition.is_open or condition.is_end:
        messages.info(request, "There is nothing to record for this condition.")
        return redirect(_on_case_page(condition))
    form = ConditionRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == Condition.Status.COMPLIED:
                services.condition_complied(
                    actor=request.user,
                    condition=condition,
                    note=data["note"],
                    proof=upload_of(data.get("proof")),
                )
            else:
                if data.get("proof"):
                    raise EvidenceRefused(services.PROOF_ONLY_WHEN_COMPLIED)
                services.condition_not_complied(
                    actor=request.user, condition=condition, reasons=data["note"]
                )
        except EvidenceRefused as refused:
            form.add_error("proof", str(refused))
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Recorded.")
            return redirect(_on_case_page(condition))
    return render(
        request,
        "compliance/condition_record.html",
        {
            "condition": condition,
            "case": condition.case,
            "form": form,
            "overdue": condition.overdue_on(timezone.localdate()),
        },
        status=400 if form.errors else 200,
    )


@login_required
def condition_proof_view(request: HttpRequest, pk: int) -> HttpResponse:
    condition = condition_for(request.user, pk, action="view", request=request)
    if condition.proof is None:
        raise Http404("No file was kept for this condition.")
    return file_attachment(
        blob_read(condition.proof.sha256),
        content_type=condition.proof.content_type,
        stem=f"compliance-{condition.case.reference}-{condition.pk}",
    )
