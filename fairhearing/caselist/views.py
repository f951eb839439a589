"""The saved views' page: save the case list one came from under a name; open or delete one's
own views. Bulk assignment of the cases ticked on the list: the form, a check, the result.
Thin: the access function, then at most one service."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.accounts.models import User
from fairhearing.cases.access import NOT_FOUND as CASE_NOT_FOUND
from fairhearing.cases.access import bulk_assigner, cases_for
from fairhearing.cases.forms import CaseFilterForm, list_url
from fairhearing.cases.models import Assignment, Case
from fairhearing.cases.services import BULK_MOST
from fairhearing.core.errors import CaseError
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.rulebook import RulebookSpec
from fairhearing.workflow import services as workflow

from . import services
from .access import saved_view_for, saved_views_reader
from .forms import QUERY_FIELD_MAX, BulkAssignForm, SavedViewForm
from .queries import (
    ALL,
    DEFAULT_SORT,
    QUEUES,
    SAVED_VIEWS_MAX,
    SORTS,
    assignees,
    caseworkers,
    saved_query_clean,
    saved_views_of,
    sort_in_force,
    sort_parse,
)

SAVED = "Saved the view “{name}”: it is above the case list."
REPLACED = "Replaced the view “{name}” with this list."
DELETED = "Deleted the view “{name}”."


@dataclass(frozen=True)
class SavedViewRow:
    pk: int
    name: str
    url: str
    shows: list[str]


def _described(query: str, spec: RulebookSpec, staff: list[User]) -> list[str]:
    """The list a saved query shows, in words: its queue, its filters (as the list's tags say
    them) and its order."""
    params = dict(parse_qsl(query))
    queue = params.get("queue", ALL)
    filters = CaseFilterForm(QueryDict(query), spec=spec, staff=staff).tags({})
    column, descending = sort_parse(sort_in_force(params.get("sort", DEFAULT_SORT), queue)) or (
        SORTS["opened"],
        True,
    )
    order = column.described(descending)
    return [QUEUES.get(queue, QUEUES[ALL]), *(tag.label for tag in filters), order]


@login_required
@require_http_methods(["GET", "POST"])
def saved_views_view(request: HttpRequest) -> HttpResponse:
    """Save the list the user came from (its query, cleaned) under a name; list their views."""
    user: Any = saved_views_reader(request.user)
    spec = Organisation.objects.get(pk=user.organisation_id).current_rulebook().spec
    staff = assignees(user.organisation_id)
    form = SavedViewForm(
        request.POST or None, initial={"query": saved_query_clean(request.GET.urlencode())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved_view, created = services.saved_view_save(
                actor=user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except CaseError as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, (SAVED if created else REPLACED).format(name=saved_view.name))
            return redirect(list_url(dict(parse_qsl(saved_view.query))))
    query = saved_query_clean(str(form["query"].value() or ""))
    views = [
        SavedViewRow(
            view.pk,
            view.name,
            list_url(dict(parse_qsl(view.query))),
            _described(view.query, spec, staff),
        )
        for view in saved_views_of(user)
    ]
    context = {
        "form": form,
        "query": query,
        "shows": _described(query, spec, staff),
        "back_url": list_url(dict(parse_qsl(query))),
        "views": views,
        "most": SAVED_VIEWS_MAX,
    }
    return render(request, "caselist/saved_views.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    saved_view = saved_view_for(request.user, pk)
    name = saved_view.name
    services.saved_view_delete(actor=request.user, saved_view=saved_view)
    messages.success(request, DELETED.format(name=name))
    # Back to the page as it was (the list it would save), from the query it carried.
    back = saved_query_clean(request.POST.get("query", ""))
    page = reverse("caselist:saved_views")
    return redirect(f"{page}?{back}" if back else page)


BULK_RESULT = "caselist_bulk_assign"  # the session's key for the last bulk assignment's result


@dataclass(frozen=True)
class BulkRow:
    """One case on the check page: what will happen to it, or why it will be refused."""

    reference: str
    respondent: str
    what: str
    refused: bool


def _bulk_rows(form: BulkAssignForm, cases: list[Case], not_found: list[str]) -> list[BulkRow]:
    chosen, user = form.cleaned_data["cases"], form.cleaned_data["assign_to"]
    role, replacing = form.cleaned_data["role"], form.cleaned_data["replacing"]
    joins = f"{user.display_name} joins as {Assignment.Role(role).label.lower()}"
    if replacing is not None:
        joins += f"; {replacing.display_name} leaves the case team"
    rows = []
    for case in (case for case in cases if case.reference in chosen):
        refusal = workflow.case_replacement_refusal(case, user, role, replacing)
        rows.append(
            BulkRow(case.reference, case.respondent.full_name, refusal or joins, bool(refusal))
        )
    rows += [BulkRow(reference, "", CASE_NOT_FOUND, True) for reference in not_found]
    return rows


@login_required
@require_POST
def bulk_assign_view(request: HttpRequest) -> HttpResponse:
    """Assign (or reassign, replacing someone who leaves) the cases ticked on the list: the
    form again when something is missing, with the selection kept; then a check of what will
    happen to each case; then the decisions, one per case (`cases_bulk_assign`). Cases the
    user may not act on are refused as not found, and recorded (`cases_for`)."""
    user: Any = bulk_assigner(request.user)
    cases, not_found = cases_for(user, request.POST.getlist("cases"), request=request)
    back = request.POST.get("back", "")[:QUERY_FIELD_MAX]
    step = request.POST.get("step", "check")
    staff = caseworkers(user.organisation_id)
    # The form chooses among the cases found; those refused are reported beside it.
    data = request.POST.copy()
    data.setlist("cases", [case.reference for case in cases])
    form = BulkAssignForm(data, staff=staff, cases=cases, most=BULK_MOST)
    if step == "change":  # back from the check page: the answers, without complaint
        initial: dict[str, Any] = {name: request.POST.get(name) for name in form.fields}
        initial["cases"] = [case.reference for case in cases]
        form = BulkAssignForm(initial=initial, staff=staff, cases=cases, most=BULK_MOST)
    elif form.is_valid() and step == "confirm":
        chosen = form.cleaned_data["cases"]
        try:
            outcomes = workflow.cases_bulk_assign(
                actor=user,
                cases=[case for case in cases if case.reference in chosen],
                user=form.cleaned_data["assign_to"],
                role=form.cleaned_data["role"],
                replacing=form.cleaned_data["replacing"],
                reasons=form.cleaned_data["reasons"],
            )
        except CaseError as refused:
            form.add_error(None, str(refused))
        else:
            request.session[BULK_RESULT] = {
                "assign_to": form.cleaned_data["assign_to"].display_name,
                "role": str(Assignment.Role(form.cleaned_data["role"]).label),
                "replacing": getattr(form.cleaned_data["replacing"], "display_name", ""),
                "assigned": [o.case.reference for o in outcomes if not o.refused],
                "refused": [[o.case.reference, o.refused] for o in outcomes if o.refused]
                + [[reference, CASE_NOT_FOUND] for reference in not_found],
                "back": back,
            }
            return redirect("caselist:bulk_assign_done")
    context = {
        "form": form,
        "back": back,
        "back_url": list_url(dict(parse_qsl(back))),
        "not_found": not_found,
    }
    if form.is_bound and form.is_valid() and step == "check":
        rows = _bulk_rows(form, cases, not_found)
        context |= {
            "rows": rows,
            "going": sum(not row.refused for row in rows),
            "refusing": sum(row.refused for row in rows),
        }
        return render(request, "caselist/bulk_assign_check.html", context)
    return render(request, "caselist/bulk_assign.html", context, status=400 if form.errors else 200)


@login_required
def bulk_assign_done_view(request: HttpRequest) -> HttpResponse:
    """What the last bulk assignment did: the cases assigned, and those refused with why."""
    bulk_assigner(request.user)
    result = request.session.get(BULK_RESULT)
    if result is None:
        return redirect("cases:list")
    back_url = list_url(dict(parse_qsl(result["back"])))
    return render(
        request, "caselist/bulk_assign_done.html", {"result": result, "back_url": back_url}
    )
