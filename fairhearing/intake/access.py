"""How an anonymous reporter reaches their report: only through a session their receipt code
opened. The session then holds that report's id and nothing else, and every reporter page
reads the report from it; no case or portal page looks at this key, so a receipt code reaches
one report and nothing more."""

from django.http import HttpRequest

from .models import AnonymousReport

SESSION_KEY = "anonymous_report"


def reporter_session_grant(request: HttpRequest, report: AnonymousReport) -> None:
    """A fresh session (new key, nothing carried over) holding only this report's id."""
    request.session.flush()
    request.session[SESSION_KEY] = report.pk


def reporter_session_end(request: HttpRequest) -> None:
    request.session.flush()


def reporter_report_for(request: HttpRequest) -> AnonymousReport | None:
    """The report this visitor's receipt code opened, or None."""
    report_id = request.session.get(SESSION_KEY)
    if not isinstance(report_id, int):
        return None
    return (
        AnonymousReport.objects.select_related("complaint__complainant")
        .filter(pk=report_id)
        .first()
    )
