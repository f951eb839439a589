"""Oversight's pages (the interference register) and staff recording an approach."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fairhearing.accounts.models import Role, User
from fairhearing.cases.access import case_for
from fairhearing.core.errors import CaseError
from fairhearing.panels.queries import panel_votes
from fairhearing.workflow.services import verification_verify, verification_veto

from . import queries
from .access import register_reader
from .forms import ApproachForm, RegisterFilterForm, VerificationForm
from .models import Verification
from .services import approach_record

REGISTER_PAGE = 50


FILTER_KEYS = {"user", "role", "action", "case", "since", "until"}


@login_required
def register_view(request: HttpRequest) -> HttpResponse:
    """The whole register, one kind at a time, paged, with the same filters across kinds and
    the count of each; decisions awaiting verification always on top."""
    user: Any = register_reader(request.user)
    organisation_id = user.organisation_id
    kind = request.GET.get("kind", "attempts")
    if kind not in queries.REGISTER_KINDS:
        kind = "attempts"
    people = User.objects.filter(organisation_id=organisation_id).order_by(
        "first_name", "last_name", "username"
    )
    bound = FILTER_KEYS & {key for key, value in request.GET.items() if value}
    form = RegisterFilterForm(request.GET if bound else None, people=list(people))
    filters = form.filters()
    entries = queries.register_entries(organisation_id, kind, filters)
    page = Paginator(entries, REGISTER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters_only = query.copy()
    filters_only.pop("kind", None)
    pending = queries.register_pending(organisation_id)
    context = {
        "form": form,
        "filtered": filters.any,
        "kind": queries.REGISTER_KINDS[kind],
        "kinds": [
            (k, queries.REGISTER_KINDS[k].label, n)
            for k, n in queries.register_counts(organisation_id, filters).items()
        ],
        "page": page,
        "query": query.urlencode(),
        "filters_query": filters_only.urlencode(),
        "pending": pending[:20],
        "pending_count": pending.count(),
        "roles": dict(Role.choices),
    }
    return render(request, "oversight/register.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def approach_record_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = ApproachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approach_record(actor=request.user, case=case, **form.cleaned_data)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Approach recorded in the interference register.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "oversight/approach_record.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def verification_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Oversight verifies or vetoes a panel decision held for verification (R-32)."""
    case = case_for(request.user, reference, action="view", request=request)
    verification = (
        Verification.objects.filter(case=case, status=Verification.Status.PENDING)
        .select_related("stage_change__actor")
        .first()
    )
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and verification is not None and form.is_valid():
        service = (
            verification_verify if form.cleaned_data["decision"] == "verify" else verification_veto
        )
        try:
            service(
                actor=request.user, verification=verification, reasons=form.cleaned_data["reasons"]
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Decision verified." if service is verification_verify else "Decision vetoed.",
            )
            return redirect("cases:detail", reference=case.reference)
    spec = case.rulebook.spec
    votes = []
    if verification is not None:
        move = spec.transitions.get(verification.stage_change.transition)
        kinds = [
            r.split(":", 1)[1]
            for r in (move.requires if move else ())
            if r.startswith("panel_vote:")
        ]
        votes = panel_votes(case, kinds[0]) if kinds else []
    return render(
        request,
        "oversight/verification.html",
        {"case": case, "verification": verification, "form": form, "spec": spec, "votes": votes},
        status=400 if form.errors else 200,
    )
