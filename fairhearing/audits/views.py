"""Case-file audits for oversight (draw a quarter's sample, audit each case, raise a finding
as a recommendation) and the public page of their results, as counts."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairhearing.core.errors import CaseError
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.queries import organisation_default

from . import services
from .access import audit_round_for, audited_case_for, require_auditor
from .forms import AuditCaseForm, DrawForm, RaiseForm
from .models import Answer
from .queries import (
    published_counts,
    quarter_to_audit,
    round_counts,
    rounds_of,
    sample_of,
)


@login_required
@require_http_methods(["GET", "POST"])
def rounds_view(request: HttpRequest) -> HttpResponse:
    """Every round so far, and the form that draws the last quarter's sample."""
    user: Any = request.user
    require_auditor(user)
    form = DrawForm(
        request.POST or None, initial={"period": quarter_to_audit(timezone.localdate()).name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            audit_round = services.audit_round_draw(
                actor=user,
                organisation=Organisation.objects.get(pk=user.organisation_id),
                period=form.cleaned_data["period"],
            )
        except CaseError as exc:
            form.add_error("period", str(exc))
        else:
            messages.success(
                request,
                f"{audit_round.audited.count()} cases drawn for the {audit_round.period} audit.",
            )
            return redirect("audits:round", audit_round.pk)
    spec = Organisation.objects.get(pk=user.organisation_id).current_rulebook_spec()
    return render(
        request,
        "audits/rounds.html",
        {
            "rounds": rounds_of(user.organisation_id),
            "form": form,
            "sample_size": spec.audit_sample_size,
        },
        status=400 if form.errors else 200,
    )


@login_required
def round_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    audit_round = audit_round_for(user, pk)
    rows = []
    for audited in sample_of(audit_round):
        spec = audited.case.rulebook.spec
        rows.append(
            {
                "audited": audited,
                "outcome": spec.outcomes.get(audited.case.outcome, "Not recorded"),
                "not_met": [
                    c["label"]
                    for c in audit_round.checks
                    if audited.answers.get(c["key"]) == Answer.NO
                ],
            }
        )
    counts = round_counts(audit_round)
    return render(
        request,
        "audits/round.html",
        {"round": audit_round, "rows": rows, "counts": counts},
    )


@login_required
@require_http_methods(["GET", "POST"])
def audited_case_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One sampled case's checklist and findings."""
    user: Any = request.user
    audited = audited_case_for(user, pk)
    initial = {f"check_{key}": answer for key, answer in audited.answers.items()}
    form = AuditCaseForm(
        request.POST or None,
        checks=audited.round.checks,
        initial=initial | {"findings": audited.findings},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.audited_case_record(
                actor=user,
                audited=audited,
                answers=form.answers(),
                findings=form.cleaned_data["findings"],
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Audit of {audited.case.reference} recorded.")
            return redirect("audits:round", audited.round_id)
    published = round_counts(audited.round).complete
    answers = [
        (c["label"], Answer(audited.answers[c["key"]]).label)
        for c in audited.round.checks
        if audited.answers.get(c["key"]) in Answer.values
    ]
    return render(
        request,
        "audits/audited_case.html",
        {"audited": audited, "form": form, "published": published, "answers": answers},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def raise_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise an audit's findings as a recommendation in the public tracker."""
    user: Any = request.user
    audited = audited_case_for(user, pk)
    form = RaiseForm(request.POST or None, initial={"text": audited.findings})
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.audit_finding_raise(
                actor=user, audited=audited, **form.cleaned_data
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Raised as recommendation {recommendation.number} of "
                f"{recommendation.review.title} in the recommendations tracker.",
            )
            return redirect("audits:round", audited.round_id)
    return render(
        request,
        "audits/raise.html",
        {"audited": audited, "form": form},
        status=400 if form.errors else 200,
    )


def published_view(request: HttpRequest) -> HttpResponse:
    """The results of every finished round, as counts: no case, no name."""
    return render(
        request,
        "audits/published.html",
        {"results": published_counts(organisation_default().pk)},
    )
