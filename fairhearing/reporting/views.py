"""Public statistics (HTML with charts, CSV, JSON), the public recommendations tracker, and
the governing body's meeting packs."""

import csv
import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_http_methods

from fairhearing.accounts.second_factor import require_recent_auth
from fairhearing.audits.queries import published_counts
from fairhearing.core.errors import CaseError
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.queries import organisation_default

from .access import (
    may_edit_tracker,
    may_schedule_meetings,
    require_meeting_scheduler,
    require_pack_reader,
    require_tracker_editor,
    require_workload_reader,
)
from .forms import MeetingForm, RecommendationsImportForm, RecommendationUpdateForm
from .models import Meeting, MeetingPack, Recommendation, Review, StatisticsReport
from .queries import BAD_PERIOD, parity_to_date, period_parse
from .services import meeting_schedule, recommendation_update, recommendations_import
from .translations import content_in_language
from .workload import workload

FORMATS = {"html", "csv", "json", "pdf"}


def report_list_view(request: HttpRequest) -> HttpResponse:
    reports = StatisticsReport.objects.filter(organisation=organisation_default()).order_by(
        "-starts_on"
    )
    return render(request, "reporting/report_list.html", {"reports": reports})


def report_view(request: HttpRequest, period: str, fmt: str = "html") -> HttpResponse:
    if fmt not in FORMATS:
        return JsonResponse(
            {
                "error": {
                    "status": 400,
                    "code": "bad_format",
                    "message": "Formats are html, csv, json and pdf.",
                    "fields": {},
                }
            },
            status=400,
        )
    try:
        parsed = period_parse(period)
    except ValueError:
        if fmt == "html":  # a person at the page: the site's page, saying what to write
            context = {
                "heading": gettext("There are no statistics for that period"),
                "exception": gettext(BAD_PERIOD),
                "back_url": reverse("reporting:list"),
                "back_text": gettext("See the statistics published so far"),
            }
            return render(request, "404.html", context, status=400)
        return JsonResponse(
            {"error": {"status": 400, "code": "bad_period", "message": BAD_PERIOD, "fields": {}}},
            status=400,
        )
    report = StatisticsReport.objects.filter(
        organisation=organisation_default(), period=parsed.name
    ).first()
    if report is None:
        raise Http404(gettext_noop("No statistics have been published for that period."))
    if fmt == "json":
        return JsonResponse(
            {
                "period": report.period,
                "starts_on": report.starts_on.isoformat(),
                "ends_on": report.ends_on.isoformat(),
                **report.content,
            }
        )
    if fmt == "pdf":
        from .pdf import report_pdf  # reportlab, loaded only to make a PDF

        response = HttpResponse(
            report_pdf(report.period, report.content), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="statistics-{report.period}.pdf"'
        return response
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["table", "row", "count"])
        content = report.content
        for table in content["tables"] + content.get("survey_tables", []) + content["limits"]:
            for row in table["rows"]:
                writer.writerow([table["title"], row["label"], row["shown"]])
            writer.writerow([table["title"], "Total", table["total"]])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="statistics-{report.period}.csv"'
        return response
    last_day = report.ends_on - dt.timedelta(days=1)
    return render(
        request,
        "reporting/report.html",
        {
            "report": report,
            "content": {**content_in_language(report.content), "last_day": last_day},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pack_list_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_pack_reader(user)
    if request.method == "POST":
        require_meeting_scheduler(user)
    form = MeetingForm(request.POST or None) if may_schedule_meetings(user) else None
    if form is not None and request.method == "POST" and form.is_valid():
        meeting_schedule(actor=user, organisation=user.organisation, **form.cleaned_data)
        messages.success(request, "Meeting scheduled: its pack will be made before it.")
        return redirect("reporting:packs")
    meetings = (
        Meeting.objects.filter(organisation_id=user.organisation_id)
        .select_related("pack")
        .order_by("-held_on")
    )
    return render(
        request,
        "reporting/pack_list.html",
        {"meetings": meetings, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def pack_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    require_pack_reader(user)
    pack = get_object_or_404(MeetingPack, pk=pk, meeting__organisation_id=user.organisation_id)
    # The last case-file audit published when the pack was made (audits sit above reporting,
    # so the pack's frozen content cannot hold it; a finished round no longer changes).
    audits = published_counts(user.organisation_id, as_of=pack.generated_at)[:1]
    return render(
        request,
        "reporting/pack.html",
        {"pack": pack, "content": pack.content, "audit": audits[0] if audits else None},
    )


def tracker_view(request: HttpRequest) -> HttpResponse:
    reviews = Review.objects.filter(organisation=organisation_default()).prefetch_related(
        "recommendations"
    )
    return render(
        request,
        "reporting/tracker.html",
        {
            "reviews": reviews,
            "may_edit": may_edit_tracker(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth()
def tracker_import_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_tracker_editor(user)
    form = RecommendationsImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = recommendations_import(
            actor=user,
            organisation=user.organisation,
            title=form.cleaned_data["title"],
            published_on=form.cleaned_data["published_on"],
            data=upload.read(),
            filename=upload.name,
        )
        if report.ok:
            messages.success(request, f"{report.accepted} recommendations imported.")
            return redirect("reporting:tracker")
    return render(
        request,
        "reporting/tracker_import.html",
        {"form": form, "report": report},
        status=400 if form.errors or (report and not report.ok) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tracker_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    require_tracker_editor(user)
    recommendation = get_object_or_404(
        Recommendation, pk=pk, review__organisation_id=user.organisation_id
    )
    form = RecommendationUpdateForm(
        request.POST or None,
        initial={"status": recommendation.status, "evidence": recommendation.evidence},
    )
    if request.method == "POST" and form.is_valid():
        try:
            recommendation_update(actor=user, recommendation=recommendation, **form.cleaned_data)
        except CaseError as exc:
            form.add_error("evidence", str(exc))
        else:
            messages.success(request, f"Recommendation {recommendation.number} updated.")
            return redirect("reporting:tracker")
    return render(
        request,
        "reporting/tracker_update.html",
        {"form": form, "recommendation": recommendation},
        status=400 if form.errors else 200,
    )


@login_required
def workload_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_workload_reader(user)
    load = workload(user.organisation_id)
    officers_chart = {
        "title": "Open cases by officer",
        "rows": [{"label": o.name, "shown": str(o.open_cases)} for o in load.officers]
        + [{"label": "Nobody yet", "shown": str(load.unassigned)}],
    }
    stages_chart = {
        "title": "Open cases by stage",
        "rows": [{"label": s.label, "shown": str(s.total)} for s in load.stages],
    }
    week_label = "Week of {:%-d %b}"
    breached_chart = {
        "title": "Time limits breached, week by week",
        "rows": [
            {"label": week_label.format(w.starts_on), "shown": str(w.breached)} for w in load.weeks
        ],
    }
    closed_chart = {
        "title": "Cases closed, week by week",
        "rows": [
            {"label": week_label.format(w.starts_on), "shown": str(w.closed)} for w in load.weeks
        ],
    }
    parity = parity_to_date(Organisation.objects.get(pk=user.organisation_id))
    parity["times"] = [
        {"category": label, "closed": closed, "median": median, "p90": p90}
        for label, (closed, median, p90) in sorted(parity["by_category"].items())
    ]
    parity |= {"counted": True, "to_date": True}
    return render(
        request,
        "reporting/workload.html",
        {
            "parity": parity,
            "load": load,
            "officers_chart": officers_chart,
            "stages_chart": stages_chart,
            "breached_chart": breached_chart,
            "closed_chart": closed_chart,
        },
    )
