"""The public front door: no sign-in needed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fairhearing.cases.models import Channel, Complaint
from fairhearing.cases.services import AllegationDetails, CaseError
from fairhearing.organisations.queries import organisation_default
from fairhearing.people.services import PersonDetails

from .forms import RESPONDENT_SLOTS, ComplaintForm
from .services import complaint_submit

SESSION_KEY = "intake_submitted_reference"


def start_view(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/start.html", {"organisation": organisation_default()})


@require_http_methods(["GET", "POST"])
def complaint_form_view(request: HttpRequest) -> HttpResponse:
    organisation = organisation_default()
    form = ComplaintForm(request.POST or None, spec=organisation.current_rulebook().spec)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        respondents = [
            PersonDetails(
                full_name=data[f"respondent_{slot}_name"],
                membership_number=data[f"respondent_{slot}_membership_number"],
                branch_name=data[f"respondent_{slot}_branch"],
            )
            for slot in range(1, RESPONDENT_SLOTS + 1)
            if data.get(f"respondent_{slot}_name")
        ]
        try:
            complaint = complaint_submit(
                actor=None,
                organisation=organisation,
                channel=Channel.WEB,
                complainant=PersonDetails(
                    full_name=data["complainant_name"],
                    email=data["complainant_email"],
                    is_member=data["complainant_is_member"] == "yes",
                    membership_number=data["complainant_membership_number"],
                ),
                respondents=respondents,
                allegation=AllegationDetails(
                    allegation_type=data["allegation_type"],
                    category=data["category"],
                    description=data["description"],
                    conduct_date=data["conduct_date"],
                    url=data["url"],
                ),
                summary=data["description"],
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
