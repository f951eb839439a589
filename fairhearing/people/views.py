"""A party's affiliations (R-25) and contact details (R-12), from their case: staff who may
act on the case."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fairhearing.cases.access import case_for
from fairhearing.cases.forms import ReasonsForm
from fairhearing.cases.models import Case

from . import services
from .forms import AffiliationForm, ContactForm
from .models import Person
from .queries import affiliation_of_case, case_party_for_affiliations

NOT_A_PARTY = "That person is not the respondent or a complainant in this case."


def _party(case: Case, person_id: int) -> tuple[Person, str]:
    found = case_party_for_affiliations(case, person_id)
    if found is None:
        raise Http404(NOT_A_PARTY)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def affiliations_view(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    person, role = _party(case, person_id)
    form = AffiliationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_record(
                actor=request.user, person=person, case_id=case.pk, **form.cleaned_data
            )
        except services.AffiliationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Affiliation recorded for {person.full_name}. Anyone who declared an interest "
                f"in {' '.join(form.cleaned_data['name'].split())} is now kept off this case.",
            )
            return redirect("cases:affiliations", reference=case.reference, person_id=person.pk)
    context: dict[str, Any] = {
        "case": case,
        "person": person,
        "role": role,
        "form": form,
        "affiliations": person.affiliations.order_by("ended_at", "-recorded_at").select_related(
            "recorded_by", "ended_by"
        ),
    }
    return render(request, "people/affiliations.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_end_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    affiliation = affiliation_of_case(case, pk)
    if affiliation is None:
        raise Http404(NOT_A_PARTY)
    form = ReasonsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_end(
                actor=request.user,
                affiliation=affiliation,
                reasons=form.cleaned_data["reasons"],
                case_id=case.pk,
            )
        except services.AffiliationError as error:
            form.add_error("reasons", str(error))
        else:
            messages.success(request, f"Affiliation with {affiliation.name} ended.")
            return redirect(
                "cases:affiliations", reference=case.reference, person_id=affiliation.person_id
            )
    return render(
        request,
        "people/affiliation_end.html",
        {"case": case, "affiliation": affiliation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_view(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    """Add or correct a party's email and postal address, with reasons."""
    case = case_for(request.user, reference, action="act", request=request)
    person, role = _party(case, person_id)
    form = ContactForm(
        request.POST or None,
        initial={"email": person.email, "postal_address": person.postal_address},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_contact_correct(
                actor=request.user, person=person, case_id=case.pk, **form.cleaned_data
            )
        except services.ContactError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Contact details of {person.full_name} changed.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "people/contact.html",
        {"case": case, "person": person, "role": role, "form": form},
        status=400 if form.errors else 200,
    )
