"""The staff case list, the officer's queue (sortable, filtered, searched); the saved views'
page: save the case list one came from under a name, open or delete one's own views; and bulk
assignment of the cases ticked on the list: the form, a check, the result.
Thin: the access function, then at most one service."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.accounts.models import User
from fairhearing.cases.access import NOT_FOUND as CASE_NOT_FOUND
from fairhearing.cases.access import (
    acts_on_cases,
    bulk_assigner,
    case_list_reader,
    cases_for,
    cases_visible_to,
    search_refusals_record,
    works_own_cases,
)
from fairhearing.cases.forms import CaseFilterForm, list_url
from fairhearing.cases.models import Assignment, Case
from fairhearing.cases.queries import search_found, team_names
from fairhearing.cases.services import BULK_MOST
from fairhearing.core import pagination
from fairhearing.core.errors import CaseError
from fairhearing.core.pagination import CappedPaginator
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.rulebook import RulebookSpec
from fairhearing.workflow import services as workflow

from . import services
from .access import saved_view_for, saved_views_reader
from .forms import QUERY_FIELD_MAX, BulkAssignForm, SavedViewForm
from .queries import (
    ALL,
    BOUNDED,
    COUNT_CAP,
    DEFAULT_SORT,
    QUEUES,
    SAVED_VIEWS_MAX,
    SORTS,
    RankedByNextDue,
    assignees,
    case_list,
    caseworkers,
    queue_counts,
    saved_query_clean,
    saved_views_of,
    sort_in_force,
    sort_offered,
    sort_parse,
)

PAGE_SIZE = 25
COLUMNS = [
    ("reference", "Reference"),
    ("", "Respondent"),  # names are encrypted: the database cannot sort by them
    ("category", "Category"),
    ("stage", "Stage"),
    ("", "Assigned to"),
    ("next_due", "Next due"),
    ("days_overdue", "Days overdue"),
    ("opened", "Opened"),
]

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


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    count: int
    url: str

    @property
    def shown(self) -> str:
        """The count as the page shows it: "1,000+" past the cap."""
        return f"{COUNT_CAP:,}+" if self.count > COUNT_CAP else f"{self.count:,}"


@dataclass(frozen=True)
class SavedViewLink:
    name: str
    url: str
    current: bool  # the list shown is this view


@dataclass(frozen=True)
class Column:
    """A heading of the case list's table; a sortable one links to the list sorted by it (MOJ
    sortable table, on the server: the list is paged)."""

    label: str
    url: str = ""  # sorted by this column (or reversed, when it is the order in force)
    aria_sort: str = ""  # "ascending", "descending" or "none"; blank when not sortable
    next_order: str = ""  # what following the link does, in words


def _columns(query: dict[str, str], sort: str, queue: str, searching: bool) -> list[Column]:
    in_force = sort_parse(sort)
    assert in_force is not None
    columns = []
    for key, label in COLUMNS:
        if not key or not sort_offered(key, queue, searching=searching):
            columns.append(Column(label))
            continue
        column = SORTS[key]
        current = in_force[0].key == key
        descending = current and in_force[1]
        aria = ("descending" if descending else "ascending") if current else "none"
        # The first follow sorts ascending; following the order in force reverses it.
        value = key if not current or descending else f"-{key}"
        words = column.descending if value.startswith("-") else column.ascending
        url = list_url({**query, "sort": "" if value == DEFAULT_SORT else value})
        columns.append(Column(label, url, aria, words))
    return columns


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    """The officer's queue: queues with their counts above a full-width list, filters kept as
    removable tags, columns that sort (where `sort_offered` allows), the user's saved views. A
    reference search looks through every case the user may see."""
    user: Any = case_list_reader(request.user)
    visible = cases_visible_to(user)
    organisation = Organisation.objects.get(pk=user.organisation_id)
    spec = organisation.current_rulebook().spec
    staff = caseworkers(organisation.pk)  # the filter offers those active (`assignees`)
    active = [person for person in staff if person.is_active]
    form = CaseFilterForm(request.GET or None, spec=spec, staff=active)
    filters = form.cleaned_data if form.is_valid() else {}
    search_refusals_record(user, filters.get("search", ""), request)
    counts = queue_counts(visible, user)
    queue = request.GET.get("queue", "")
    if queue not in QUEUES:
        # Landing (no parameters at all): caseworkers start on their own open cases.
        landing = not request.GET and works_own_cases(user) and counts["mine"] > 0
        queue = "mine" if landing else ALL
    search = filters.get("search", "")
    found = search_found(search, organisation_id=organisation.pk) if search else None
    asked = request.GET.get("sort", "")
    sort = sort_in_force(asked, queue, searching=bool(search))
    cases = case_list(
        visible,
        queue=queue,
        user=user,
        stage=filters.get("stage", ""),
        category=filters.get("category", ""),
        overdue=filters.get("overdue", False),
        assignee=filters.get("assignee", ""),
        search=search,
        found=found.cases if found else None,
        sort=sort,
        spec=spec,
    )
    # Unfiltered, the queue's count is the page's count (both stop at the same cap).
    counted = None if any(filters.values()) or COUNT_CAP != pagination.CAP else counts[queue]
    listed: Any = cases
    if queue == "due_this_week" and not search and sort.removeprefix("-") == "next_due":
        listed = RankedByNextDue(cases, descending=sort.startswith("-"))
        counted = listed.count() if counted is None else counted
    paginator = CappedPaginator(listed, PAGE_SIZE, counted=counted)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    names = team_names([case.pk for case in rows])
    today = timezone.localdate()
    for case in rows:
        case.team_names = names.get(case.pk, [])
        since = case.overdue_since
        case.days_overdue = (
            max(1, (today - timezone.localdate(since)).days) if since is not None else None
        )
    # What the page's links carry: the queue, the filters and the sort in force (never the
    # page). A sort asked for but not offered here is dropped, and the page says so.
    kept_sort = "" if sort == DEFAULT_SORT else sort
    query = {"queue": queue, **form.kept(), "sort": kept_sort}
    queues = [
        Queue(key, label, counts[key], list_url({**query, "queue": key, "search": ""}))
        for key, label in QUEUES.items()
    ]
    column, descending = sort_parse(sort) or (SORTS["opened"], True)
    not_offered = sort_parse(asked) if asked and asked != sort else None
    current = saved_query_clean(urlencode(query))
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "spec": spec,
        "queue": queue,
        "queue_label": QUEUES[ALL if search else queue],
        "queue_name": QUEUES[queue],
        "queues": queues,
        "searching": bool(search),
        "search": search,
        "search_too_broad": bool(found and found.too_broad),
        "query": urlencode({k: v for k, v in query.items() if v}),
        "sort": kept_sort,
        "order": column.described(descending),
        "not_offered": not_offered[0].label.lower() if not_offered else "",
        "bounded": [QUEUES[key] for key in BOUNDED],
        "columns": _columns(query, sort, queue, bool(search)),
        "tags": form.tags(query),
        "clear_url": list_url({"queue": queue, "sort": kept_sort}),
        "filtered": any(filters.values()),
        "filters_open": any(filters.get(name) for name in form.fields if name != "search"),
        "saved_views": [
            SavedViewLink(view.name, list_url(dict(parse_qsl(view.query))), view.query == current)
            for view in saved_views_of(user)
        ],
        "save_url": f"{reverse('caselist:saved_views')}?{current}" if current else "",
    }
    if acts_on_cases(user):
        # Tick cases to assign them in bulk; "select all" is a link, so it works without script.
        select_all = request.GET.get("select") == "all"
        here = {**query, "page": request.GET.get("page", "")}
        context |= {
            "bulk_form": BulkAssignForm(staff=staff, cases=[], most=BULK_MOST),
            "select_all": select_all,
            "select_url": list_url({**here, "select": "" if select_all else "all"}),
        }
    template = "cases/_case_table.html" if request.htmx else "cases/case_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


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
