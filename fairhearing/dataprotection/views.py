"""Legal holds (case officers and investigators who may act on the case) and subject access
requests (case officers of the organisation). Thin: access, one service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.cases.access import case_for
from fairhearing.intake.services import received_at_for

from . import access, queries
from .forms import HoldForm, LiftForm, SubjectAccessForm
from .models import LegalHold
from .services import (
    DataProtectionError,
    legal_hold_lift,
    legal_hold_place,
    legal_hold_review,
    subject_access_complete,
    subject_access_export,
    subject_access_open,
)
from .subject_access import export_download


@login_required
@require_http_methods(["GET", "POST"])
def hold_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    active = queries.active_hold(case)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            legal_hold_place(actor=request.user, case=case, **form.cleaned_data)
        except DataProtectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The case is on legal hold: it will not be anonymised.")
            return redirect("dataprotection:hold", reference=case.reference)
    context = {
        "case": case,
        "form": form,
        "active": active,
        "holds": LegalHold.objects.filter(case=case).select_related("placed_by", "lifted_by"),
        "retention": queries.retention_for(case),
    }
    return render(request, "dataprotection/hold.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def hold_change_view(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    hold = queries.active_hold(case)
    if hold is None:
        messages.info(request, "The case is not on legal hold.")
        return redirect("dataprotection:hold", reference=case.reference)
    form: Any = (HoldForm if action == "review" else LiftForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if action == "review":
                legal_hold_review(actor=request.user, hold=hold, **form.cleaned_data)
            else:
                legal_hold_lift(actor=request.user, hold=hold, **form.cleaned_data)
        except DataProtectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Hold reviewed and kept." if action == "review" else "Hold lifted."
            )
            return redirect("dataprotection:hold", reference=case.reference)
    return render(
        request,
        "dataprotection/hold_change.html",
        {"case": case, "hold": hold, "form": form, "action": action},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sar_list_view(request: HttpRequest) -> HttpResponse:
    user = access.sar_user(request.user)
    form = SubjectAccessForm(request.POST or None, organisation_id=user.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            sar = subject_access_open(
                actor=user,
                person=form.cleaned_data["person"],
                received_at=received_at_for(form.cleaned_data["received_on"]),
            )
        except DataProtectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Request recorded. It is due within one calendar month.")
            return redirect("dataprotection:sar_detail", pk=sar.pk)
    return render(
        request,
        "dataprotection/sar_list.html",
        {
            "form": form,
            "requests": queries.subject_access_requests(user.organisation_id),
            "holds_due": queries.legal_holds_due(user.organisation_id),
        },
        status=400 if form.errors else 200,
    )


@login_required
def sar_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    sar = access.sar_for(request.user, pk)
    return render(request, "dataprotection/sar_detail.html", {"sar": sar})


@login_required
def sar_export_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    sar = access.sar_for(request.user, pk)
    if fmt not in {"json", "pdf"}:
        raise Http404
    return export_download(
        sar, fmt, subject_access_export(actor=request.user, request=sar, fmt=fmt)
    )


@login_required
@require_POST
def sar_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    sar = access.sar_for(request.user, pk)
    try:
        subject_access_complete(actor=request.user, request=sar)
    except DataProtectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Request completed.")
    return redirect("dataprotection:sar_detail", pk=sar.pk)
