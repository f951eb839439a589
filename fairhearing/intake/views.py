"""The front door: the public form (no sign-in), staff recording a complaint received by
post, phone, email or in person, and anonymous reports with their receipt code."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.cases.models import Channel, Complaint
from fairhearing.core.errors import CaseError
from fairhearing.evidence.forms import upload_of
from fairhearing.evidence.services import EvidenceRefused, Upload, upload_check
from fairhearing.intake.details import AllegationDetails
from fairhearing.organisations.queries import organisation_default
from fairhearing.people.services import PersonDetails

from . import anonymous, staging
from .access import (
    complaint_recorder,
    reporter_report_for,
    reporter_session_end,
    reporter_session_grant,
)
from .forms import (
    RESPONDENT_SLOTS,
    AnonymousComplaintForm,
    ComplaintForm,
    ReceiptForm,
    ReporterEvidenceForm,
    ReporterMessageForm,
    StaffComplaintForm,
)
from .queries import report_cases, report_status
from .services import complaint_submit, received_at_for

SESSION_KEY = "intake_submitted_reference"


def chosen_language() -> str:
    """The language the page was read in, if not the site's own: the complainant's choice."""
    language = get_language() or ""
    return language if language != settings.LANGUAGE_CODE and language in LANGUAGES else ""


LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _submission(data: dict[str, Any], *, language: str = "") -> dict[str, Any]:
    """The service's arguments from a valid complaint form; `language`, the one the
    complainant chose on the form ("" for the site's own): we write to them in it."""
    return {
        "complainant": PersonDetails(
            full_name=data["complainant_name"],
            email=data["complainant_email"] or "",
            is_member=data["complainant_is_member"] == "yes",
            membership_number=data["complainant_membership_number"],
            language=language,
        ),
        **_about(data),
    }


def _about(data: dict[str, Any]) -> dict[str, Any]:
    """Whom the complaint is about and what happened, from a valid complaint form."""
    return {
        "respondents": [
            PersonDetails(
                full_name=data[f"respondent_{slot}_name"],
                membership_number=data[f"respondent_{slot}_membership_number"],
                branch_name=data[f"respondent_{slot}_branch"],
                email=data[f"respondent_{slot}_email"],
                postal_address=data[f"respondent_{slot}_postal_address"],
            )
            for slot in range(1, RESPONDENT_SLOTS + 1)
            if data.get(f"respondent_{slot}_name")
        ],
        "allegation": AllegationDetails(
            allegation_type=data["allegation_type"],
            category=data["category"],
            description=data["description"],
            conduct_date=data["conduct_date"],
            url=data["url"],
            acting_account=data["acting_account"],
        ),
        "summary": data["description"],
    }


def start_view(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/start.html", {"organisation": organisation_default()})


# --- the public forms: answers, then "check your answers", then sent -------------------

DRAFT_KEYS = {"named": "intake_draft", "anonymous": "intake_anonymous_draft"}
NOT_SENT = _("Your complaint has not been sent. Check your answers and send it again.")
FILE_GONE = _(
    "The file you attached was kept for a day and has been deleted. Choose it again, or "
    "send your complaint without it."
)


def _draft(request: HttpRequest, kind: str) -> dict[str, Any] | None:
    draft = request.session.get(DRAFT_KEYS[kind])
    return draft if isinstance(draft, dict) else None


def _draft_end(request: HttpRequest, kind: str) -> None:
    draft = request.session.pop(DRAFT_KEYS[kind], None)
    if isinstance(draft, dict) and draft.get("file"):
        staging.staged_discard(draft["file"]["token"])


def _public_form(kind: str, data: Any = None, files: Any = None) -> ComplaintForm:
    form_class = ComplaintForm if kind == "named" else AnonymousComplaintForm
    return form_class(data, files, spec=organisation_default().current_rulebook().spec)


def _answers_take(request: HttpRequest, kind: str) -> HttpResponse:
    """The form: shown filled in from the answers so far; posted, kept (with its file, if
    any) for the person to check before anything is sent."""
    draft = _draft(request, kind)
    if request.method == "POST":
        form = _public_form(kind, request.POST, request.FILES)
    else:
        form = _public_form(kind, draft["data"] if draft else None)
    kept = draft.get("file") if draft else None
    if request.method == "POST" and form.is_valid():
        upload = upload_of(form.cleaned_data["file"])
        try:
            if upload is not None:
                checked = upload_check(upload)
                if kept:
                    staging.staged_discard(kept["token"])
                kept = {
                    "token": staging.staged_write(upload.data),
                    "name": checked.name,
                    "size": len(upload.data),
                }
        except EvidenceRefused as refused:
            form.add_error("file", str(refused))
        else:
            data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
            request.session[DRAFT_KEYS[kind]] = {"data": data, "file": kept}
            return redirect("intake:check" if kind == "named" else "intake:anonymous_check")
    template = "intake/complaint_form.html" if kind == "named" else "intake/anonymous_form.html"
    context = {"form": form, "kept_file": kept}
    return render(request, template, context, status=400 if form.errors else 200)


def _answers_check(request: HttpRequest, kind: str) -> HttpResponse:
    """The answers to check, each with a way to change it; sending them records the
    complaint, with its file."""
    form_url = "intake:form" if kind == "named" else "intake:anonymous"
    draft = _draft(request, kind)
    if draft is None:
        return redirect(form_url)
    form = _public_form(kind, draft["data"])
    if not form.is_valid():  # e.g. a date no longer in range: the form says what
        return redirect(form_url)
    kept = draft.get("file")
    if request.method == "POST" and request.POST.get("remove_file") and kept:
        staging.staged_discard(kept["token"])
        request.session[DRAFT_KEYS[kind]] = {**draft, "file": None}
        messages.success(request, gettext("%(name)s removed.") % {"name": kept["name"]})
        return redirect(request.path)
    if request.method == "POST":
        upload = None
        if kept:
            data = staging.staged_read(kept["token"])
            if data is None:
                request.session[DRAFT_KEYS[kind]] = {**draft, "file": None}
                messages.error(request, FILE_GONE)
                return redirect(request.path)
            upload = Upload(name=kept["name"], data=data)
        try:
            sent = _send(request, kind, form.cleaned_data, upload)
        except (CaseError, EvidenceRefused) as error:
            messages.error(request, f"{NOT_SENT} {error}")
            return redirect(request.path)
        _draft_end(request, kind)
        return sent
    context = {
        "form": form,
        "kind": kind,
        "answers": form.answers(kept_file=kept),
        "form_url": form_url,
    }
    return render(request, "intake/check.html", context)


def _send(
    request: HttpRequest, kind: str, data: dict[str, Any], upload: Upload | None
) -> HttpResponse:
    organisation = organisation_default()
    if kind == "named":
        complaint = complaint_submit(
            actor=None,
            organisation=organisation,
            channel=Channel.WEB,
            upload=upload,
            upload_description=data["file_description"],
            **_submission(data, language=chosen_language()),
        )
        request.session[SESSION_KEY] = complaint.reference
        return redirect("intake:submitted")
    submitted = anonymous.anonymous_report_submit(
        organisation=organisation,
        upload=upload,
        upload_description=data["file_description"],
        **_about(data),
    )
    # Kept only until the receipt page has shown it (then dropped from the session).
    request.session[RECEIPT_SESSION_KEY] = {
        "code": str(submitted.code),
        "report": submitted.report.pk,
    }
    return redirect("intake:anonymous_receipt")


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_form_view(request: HttpRequest) -> HttpResponse:
    return _answers_take(request, "named")


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_check_view(request: HttpRequest) -> HttpResponse:
    return _answers_check(request, "named")


def submitted_view(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SESSION_KEY)
    if not reference:
        return redirect("intake:start")
    complaint = Complaint.objects.prefetch_related("cases").get(reference=reference)
    return render(request, "intake/submitted.html", {"complaint": complaint})


@login_required
@require_http_methods(["GET", "POST"])
def complaint_record_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    organisation = complaint_recorder(user)
    form = StaffComplaintForm(request.POST or None, spec=organisation.current_rulebook().spec)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_submit(
                actor=user,
                organisation=organisation,
                channel=form.cleaned_data["channel"],
                received_at=received_at_for(form.cleaned_data["received_on"]),
                **_submission(form.cleaned_data),
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            cases = ", ".join(c.reference for c in complaint.cases.order_by("pk"))
            messages.success(request, f"Complaint {complaint.reference} recorded: {cases}.")
            return redirect("cases:detail", reference=complaint.cases.order_by("pk")[0].reference)
    return render(
        request, "intake/complaint_record.html", {"form": form}, status=400 if form.errors else 200
    )


# --- anonymous reports -------------------------------------------------------------------

RECEIPT_SESSION_KEY = "intake_anonymous_receipt"
RECEIPT_GONE = _(
    "A receipt code is shown only once and is not kept anywhere. If you wrote it down, "
    "enter it here."
)
FORGOTTEN = _("You have left your report. Enter your receipt code to come back to it.")
NOT_SIGNED_IN = _("Enter your receipt code to see your report.")
MESSAGE_SENT = _("Message sent to the case team.")
MESSAGE_EMPTY = _("Write your message before sending it.")


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_form_view(request: HttpRequest) -> HttpResponse:
    return _answers_take(request, "anonymous")


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_check_view(request: HttpRequest) -> HttpResponse:
    return _answers_check(request, "anonymous")


@never_cache
def anonymous_receipt_view(request: HttpRequest) -> HttpResponse:
    """Shows the receipt code once: it leaves the session as the page is made."""
    shown = request.session.pop(RECEIPT_SESSION_KEY, None)
    if not shown:
        messages.info(request, RECEIPT_GONE)
        return redirect("intake:report")
    complaint = Complaint.objects.prefetch_related("cases").get(anonymous_report=shown["report"])
    return render(
        request, "intake/anonymous_receipt.html", {"complaint": complaint, "code": shown["code"]}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report_view(request: HttpRequest) -> HttpResponse:
    """Enter the receipt code. Throttled per code and per address (`receipt_use`)."""
    form = ReceiptForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = anonymous.receipt_use(
                text=form.cleaned_data["code"], ip_address=_client_address(request)
            )
        except anonymous.ReceiptRefused as refused:
            form.add_error("code", gettext(str(refused)))
            status = 429 if str(refused) == anonymous.LOCKED else 400
        else:
            reporter_session_grant(request, report)
            return redirect("intake:report_status")
    if form.errors:
        status = max(status, 400)
    return render(request, "intake/report.html", {"form": form}, status=status)


@never_cache
def report_status_view(request: HttpRequest) -> HttpResponse:
    report = reporter_report_for(request)
    if report is None:
        messages.info(request, NOT_SIGNED_IN)
        return redirect("intake:report")
    cases = report_cases(report)
    context = {
        "report": report,
        "complaint": report.complaint,
        "status": report_status(report),
        "message_form": ReporterMessageForm(cases=cases),
        "may_add_evidence": any(not c.is_closed for c in cases),
    }
    return render(request, "intake/report_status.html", context)


@require_POST
def report_message_view(request: HttpRequest) -> HttpResponse:
    report = reporter_report_for(request)
    if report is None:
        messages.info(request, NOT_SIGNED_IN)
        return redirect("intake:report")
    form = ReporterMessageForm(request.POST, cases=report_cases(report))
    if form.is_valid():
        case = anonymous.report_case(report, form.cleaned_data["case"])
        anonymous.reporter_message_send(report=report, case=case, body=form.cleaned_data["body"])
        messages.success(request, MESSAGE_SENT)
    else:
        messages.error(request, MESSAGE_EMPTY)
    return redirect("intake:report_status")


@never_cache
@require_http_methods(["GET", "POST"])
def report_evidence_view(request: HttpRequest) -> HttpResponse:
    report = reporter_report_for(request)
    if report is None:
        messages.info(request, NOT_SIGNED_IN)
        return redirect("intake:report")
    form = ReporterEvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            items = anonymous.reporter_evidence_add(
                report=report,
                upload=upload_of(form.cleaned_data["file"]),  # type: ignore[arg-type]
                description=form.cleaned_data["description"],
            )
        except EvidenceRefused as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(
                request,
                gettext("File added. Its SHA-256 is %(sha256)s.") % {"sha256": items[0].sha256},
            )
            return redirect("intake:report_status")
    return render(
        request,
        "intake/report_evidence.html",
        {"form": form, "complaint": report.complaint},
        status=400 if form.errors else 200,
    )


@require_POST
def report_forget_view(request: HttpRequest) -> HttpResponse:
    reporter_session_end(request)
    messages.success(request, FORGOTTEN)
    return redirect("intake:report")
