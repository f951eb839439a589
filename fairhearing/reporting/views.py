"""Public statistics: every published report as HTML (with charts), CSV and JSON."""

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from fairhearing.organisations.queries import organisation_default

from .models import StatisticsReport
from .queries import BAD_PERIOD, period_parse

FORMATS = {"html", "csv", "json"}


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
                    "message": "Formats are html, csv and json.",
                    "fields": {},
                }
            },
            status=400,
        )
    try:
        parsed = period_parse(period)
    except ValueError:
        return JsonResponse(
            {"error": {"status": 400, "code": "bad_period", "message": BAD_PERIOD, "fields": {}}},
            status=400,
        )
    report = StatisticsReport.objects.filter(
        organisation=organisation_default(), period=parsed.name
    ).first()
    if report is None:
        raise Http404("No statistics have been published for that period.")
    if fmt == "json":
        return JsonResponse(
            {
                "period": report.period,
                "starts_on": report.starts_on.isoformat(),
                "ends_on": report.ends_on.isoformat(),
                **report.content,
            }
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["table", "row", "count"])
        for table in report.content["tables"] + report.content["limits"]:
            for row in table["rows"]:
                writer.writerow([table["title"], row["label"], row["shown"]])
            writer.writerow([table["title"], "Total", table["total"]])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="statistics-{report.period}.csv"'
        return response
    return render(request, "reporting/report.html", {"report": report, "content": report.content})
