"""Staff pages for dossiers: upload (with the templates), progress, and the row report."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.evidence.forms import upload_of

from . import report, services
from .access import dossier_for, dossier_user
from .forms import DossierForm
from .models import Dossier, DossierRow
from .queries import dossier_rows, dossiers_of, row_outcome

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOADED_BEFORE = "This file was uploaded before, so nothing new was created: here is its report."
STILL_IMPORTING = "This file was uploaded before and is being imported now: here is its progress."
RESUMED_ON_UPLOAD = (
    "This file was uploaded before and its import had stopped after "
    "{dossier.processed_rows} of {dossier.total_rows} rows. It has started again from there."
)
RESUMED = "The import has started again from row {next} of {dossier.total_rows}."


@login_required
@require_http_methods(["GET", "POST"])
def dossier_list_view(request: HttpRequest) -> HttpResponse:
    user: Any = dossier_user(request.user)
    form = DossierForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = upload_of(form.cleaned_data["file"])
        assert upload is not None
        try:
            dossier, created = services.dossier_receive(
                actor=user,
                organisation=user.organisation,
                source_name=form.cleaned_data["source_name"],
                filename=upload.name,
                data=upload.data,
            )
        except services.DossierRefused as refused:
            form.add_error("file", str(refused))
        else:
            resumed = RESUMED_ON_UPLOAD.format(dossier=dossier)  # the rows done before
            if created:
                services.dossier_import_queue(dossier=dossier)
                messages.success(request, f"Dossier received: {dossier.total_rows} rows to import.")
            elif services.dossier_uploaded_again(actor=user, dossier=dossier):
                messages.info(request, resumed)
            elif dossier.status in {Dossier.Status.QUEUED, Dossier.Status.RUNNING}:
                messages.info(request, STILL_IMPORTING)
            else:
                messages.info(request, UPLOADED_BEFORE)
            return redirect("dossiers:detail", dossier_id=dossier.pk)
    dossiers = list(dossiers_of(user.organisation_id)[:50])
    for dossier in dossiers:
        dossier.stalled = services.dossier_stalled(dossier)  # type: ignore[attr-defined]
    return render(
        request,
        "dossiers/dossier_list.html",
        {"form": form, "dossiers": dossiers},
        status=400 if form.errors else 200,
    )


@login_required
def dossier_detail_view(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = dossier_for(request.user, dossier_id)
    rows = dossier_rows(dossier)
    status = request.GET.get("status", "")
    if status in DossierRow.Status.values:
        rows = rows.filter(status=status)
    stalled = services.dossier_stalled(dossier)
    running = dossier.status in {Dossier.Status.QUEUED, Dossier.Status.RUNNING} and not stalled
    progress = {"dossier": dossier, "running": running, "stalled": stalled}
    if request.GET.get("fragment") == "progress":
        return render(request, "dossiers/_progress.html", progress)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    outcomes = {row.pk: row_outcome(row) for row in page}
    return render(
        request,
        "dossiers/dossier_detail.html",
        {
            "dossier": dossier,
            "page": page,
            "outcomes": outcomes,
            "status": status,
            "statuses": DossierRow.Status,
            **progress,
        },
    )


@login_required
@require_POST
def dossier_resume_view(request: HttpRequest, dossier_id: int) -> HttpResponse:
    user: Any = dossier_user(request.user)
    dossier = dossier_for(user, dossier_id)
    resumed = RESUMED.format(next=dossier.processed_rows + 1, dossier=dossier)
    try:
        services.dossier_resume(actor=user, dossier=dossier)
    except services.DossierRefused as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, resumed)
    return redirect("dossiers:detail", dossier_id=dossier.pk)


@login_required
def dossier_report_view(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = dossier_for(request.user, dossier_id)
    response = HttpResponse(report.report_csv(dossier), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dossier-{dossier.pk}-report.csv"'
    return response


@login_required
def dossier_template_view(request: HttpRequest, file_format: str) -> HttpResponse:
    dossier_user(request.user)
    if file_format == "csv":
        response = HttpResponse(report.template_csv(), content_type="text/csv; charset=utf-8")
    elif file_format == "xlsx":
        response = HttpResponse(report.template_xlsx(), content_type=XLSX)
    else:
        raise Http404("No such template.")
    response["Content-Disposition"] = f'attachment; filename="dossier-template.{file_format}"'
    return response
