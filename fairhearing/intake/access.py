"""Who may record a complaint for someone else, and how an anonymous reporter reaches their
report.

Recording a complaint received by post, phone, email or in person is a case officer's work,
on the staff page and through the API alike; a refusal raises `PermissionDenied`, which the
refusal middleware (pages) or the API's 403 handler records in the interference register.

An anonymous reporter reaches their report only through a session their receipt code opened.
The session then holds that report's id and nothing else, and every reporter page reads the
report from it; no case or portal page looks at this key, so a receipt code reaches one report
and nothing more."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Channel

from .models import AnonymousReport

SESSION_KEY = "anonymous_report"
# The words each refusal shows: the staff page's, and the API's (which takes web complaints
# from any account with the scope, and the other channels from case officers only).
ONLY_CASE_OFFICERS = "Only case officers record complaints on behalf of complainants."
ONLY_CASE_OFFICERS_OTHER_CHANNELS = (
    "Only case officers record complaints received by other channels."
)


def _records_complaints(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.CASE_OFFICER
        and user.organisation_id is not None
    )


def complaint_recorder(user: Any) -> Any:
    """The organisation a case officer records complaints for (the staff page); anyone else is
    refused (and so recorded in the register)."""
    if not _records_complaints(user):
        raise PermissionDenied(ONLY_CASE_OFFICERS)
    return user.organisation


def complaint_submitter(user: Any, channel: str) -> Any:
    """The organisation a complaint submitted through the API is recorded for: one that came
    through the web, as the public form takes it, from any account; one received by another
    channel only from a case officer, as on the staff page. Otherwise refused (and recorded)."""
    if channel != Channel.WEB and not _records_complaints(user):
        raise PermissionDenied(ONLY_CASE_OFFICERS_OTHER_CHANNELS)
    return user.organisation


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
