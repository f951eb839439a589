"""Staff pages: cases related to this one (scored), and confirming or undoing a link or merge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from fairhearing.cases.access import case_for, cases_visible_to, user_may_act
from fairhearing.core.errors import CaseError

from . import services
from .forms import LinkForm, UndoForm
from .queries import links_of, related_cases


@login_required
def related_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="view", request=request)
    found = related_cases(case)
    # Only cases this user could open anyway: a suggestion never reveals another case.
    visible = set(
        cases_visible_to(request.user)
        .filter(pk__in=[s.case.pk for s in found])
        .values_list("pk", flat=True)
    )
    suggestions = [s for s in found if s.case.pk in visible]
    return render(
        request,
        "linking/related.html",
        {
            "case": case,
            "suggestions": suggestions,
            "links": links_of(case),
            "may_act": user_may_act(request.user, case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_view(request: HttpRequest, reference: str, other: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    other_case = case_for(request.user, other, action="act", request=request)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = services.case_merge if form.cleaned_data["kind"] == "merge" else services.case_link
        score = next((s.score for s in related_cases(case) if s.case.pk == other_case.pk), None)
        try:
            act(
                actor=request.user,
                case=case,
                other=other_case,
                reasons=form.cleaned_data["reasons"],
                score=score,
            )
        except CaseError as error:
            form.add_error("kind", str(error))
        else:
            done = "merged into" if form.cleaned_data["kind"] == "merge" else "linked to"
            messages.success(request, f"{other_case.reference} {done} {case.reference}.")
            return redirect("linking:related", reference=case.reference)
    return render(
        request,
        "linking/link.html",
        {"case": case, "other": other_case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def undo_view(request: HttpRequest, reference: str, link_id: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    link = get_object_or_404(links_of(case), pk=link_id, undone_at__isnull=True)
    other = link.other if link.case_id == case.pk else link.case
    form = UndoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_unlink(
                actor=request.user, link=link, reasons=form.cleaned_data["reasons"]
            )
        except CaseError as error:
            form.add_error("reasons", str(error))
        else:
            messages.success(
                request, f"The {link.get_kind_display().lower()} with {other.reference} is undone."
            )
            return redirect("linking:related", reference=case.reference)
    return render(
        request,
        "linking/undo.html",
        {"case": case, "link": link, "other": other, "form": form},
        status=400 if form.errors else 200,
    )
