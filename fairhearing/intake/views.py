"""The front door: the public form (no sign-in) and staff recording a complaint received by
post, phone, email or in person."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Channel, Complaint
from fairhearing.cases.services import AllegationDetails, CaseError
from fairhearing.organisations.queries import organisation_default
from fairhearing.people.services import PersonDetails

from .forms import RESPONDENT_SLOTS, ComplaintForm, StaffComplaintForm
from .services import complaint_submit, received_at_for

SESSION_KEY = "intake_submitted_reference"
ONLY_CASE_OFFICERS = "Only case officers record complaints on behalf of complainants."


def _submission(data: dict[str, Any]) -> dict[str, Any]:
    """The service's arguments from a valid complaint form."""
    return {
        "complainant": PersonDetails(
            full_name=data["complainant_name"],
            email=data["complainant_email"] or "",
            is_member=data["complainant_is_member"] == "yes",
            membership_number=data["complainant_membership_number"],
        ),
        "respondents": [
            PersonDetails(
                full_name=data[f"respondent_{slot}_name"],
                membership_number=data[f"respondent_{slot}_membership_number"],
                branch_name=data[f"respondent_{slot}_branch"],
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
        ),
        "summary": data["description"],
    }


def start_view(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/start.html", {"organisation": organisation_default()})


@require_http_methods(["GET", "POST"])
def complaint_form_view(request: HttpRequest) -> HttpResponse:
    organisation = organisation_default()
    form = ComplaintForm(request.POST or None, spec=organisation.current_rulebook().spec)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_submit(
                actor=None,
                organisation=organisation,
                channel=Channel.WEB,
                **_submission(form.cleaned_data),
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            request.session[SESSION_KEY] = complaint.reference
            return redirect("intake:submitted")
    return render(
        request, "intake/complaint_form.html", {"form": form}, status=400 if form.errors else 200
    )


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
    if user.role != Role.CASE_OFFICER or user.organisation_id is None:
        raise PermissionDenied(ONLY_CASE_OFFICERS)
    organisation = user.organisation
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
