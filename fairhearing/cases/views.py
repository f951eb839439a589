"""Staff pages for cases: thin, each one access function and at most one service."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairhearing.caselist.forms import BulkAssignForm
from fairhearing.caselist.queries import (
    ALL,
    BOUNDED,
    COUNT_CAP,
    DEFAULT_SORT,
    QUEUES,
    SORTS,
    case_list,
    caseworkers,
    queue_counts,
    saved_query_clean,
    saved_views_of,
    sort_in_force,
    sort_offered,
    sort_parse,
)
from fairhearing.core import pagination
from fairhearing.core.errors import CaseError
from fairhearing.core.pagination import CappedPaginator
from fairhearing.intake.services import AUTO_ACK_REASONS
from fairhearing.ledger.models import EventKind
from fairhearing.organisations.models import Organisation
from fairhearing.oversight.services import case_view_log
from fairhearing.panels.queries import (
    case_panels,
    seat_awaiting_affirmation,
    seat_of,
)
from fairhearing.people.queries import active_affiliations
from fairhearing.people.services import PersonDetails
from fairhearing.portal.queries import messages_by_party
from fairhearing.workflow import services as workflow
from fairhearing.workflow.steps import next_steps

from . import services
from .access import (
    acts_on_cases,
    case_for,
    case_list_reader,
    cases_visible_to,
    search_refusals_record,
    user_may_act,
    works_own_cases,
)
from .forms import (
    AssignForm,
    CaseFilterForm,
    ConductRulesForm,
    DecisionForm,
    HearingForm,
    ReasonsForm,
    TransitionForm,
    WitnessForm,
    list_url,
)
from .models import Party
from .queries import (
    TIMELINE_VIEWS,
    actors_by_id,
    case_timeline,
    complainants_accounts,
    conduct_out_of_time,
    search_found,
    team_names,
    timeline_filtered,
    timeline_views,
)
from .services import BULK_MOST

AFFIRM_FIRST = (
    "You sit on this case's panel. Before you read the case, confirm that you have no "
    "conflict of interest, or step aside."
)

PAGE_SIZE = 25


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
    paginator = CappedPaginator(cases, PAGE_SIZE, counted=counted)
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


@login_required
def case_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    seat = seat_awaiting_affirmation(request.user, reference)
    if seat is not None:
        # On its panel but not yet affirmed: say what to do, rather than "not found".
        messages.info(request, AFFIRM_FIRST)
        return redirect("panels:affirm", pk=seat.pk)
    case = case_for(request.user, reference, action="view", request=request)
    case_view_log(user=request.user, case=case, request=request)
    spec = case.rulebook.spec
    timeline = case_timeline(case)
    timeline_view = request.GET.get("timeline", "all")
    counts = timeline_views(timeline)
    deadlines = list(case.deadlines.order_by("-started_at"))
    late = None if case.is_closed else conduct_out_of_time(case)
    context = {
        "case": case,
        "spec": spec,
        "may_act": user_may_act(request.user, case),
        "steps": next_steps(case),
        "allegations": case.allegations.all(),
        "parties": case.parties.select_related("person", "complaint__anonymous_report"),
        "complaints": case.complaints.order_by("received_at"),
        "accounts": complainants_accounts(case),
        "deadlines": [d for d in deadlines if d.status != "closed"],
        "finished_deadlines": [d for d in deadlines if d.status == "closed"],
        "next_due": min(
            (d for d in deadlines if d.status == "open"), key=lambda d: d.due_at, default=None
        ),
        "team": case.assignments.filter(ended_at__isnull=True).select_related("user"),
        "timeline": timeline_filtered(timeline, timeline_view),
        "timeline_view": timeline_view if timeline_view in TIMELINE_VIEWS else "all",
        "timeline_views": [(view, label, counts[view]) for view, label in TIMELINE_VIEWS.items()],
        "actors": actors_by_id(timeline),
        "stage_changes": {c.pk: c for c in case.stage_changes.all()},
        "panels": case_panels(case),
        "my_seat": seat_of(request.user, case),
        "challenges": case.challenges.select_related("challenged", "raised_by", "decided_by"),
        "suspension": case.interim_suspensions.filter(lifted_at__isnull=True).first(),
        "oversight_decisions": case.verifications.exclude(status="pending")
        .select_related("decided_by", "stage_change")
        .order_by("decided_at"),
        "replies": case.replies.prefetch_related("evidence__blob").order_by("at"),
        "hearing_request": getattr(case, "hearing_request", None),
        "messages_by_party": messages_by_party(case),
        "emails": emails_on_case(case, timeline),
        "letters_to_post": case.notifications.filter(channel="post", status="to_post").order_by(
            "created_at"
        ),
        "out_of_time": late,
        "out_of_time_message": (services.out_of_time_message(case, late) if late else ""),
        "may_allow_exception": bool(
            late and late.barred and services.conduct_exception_refusal(request.user, case) is None
        ),
        "affiliations": affiliations_by_person(case),
        "pending_challenges": [c for c in case.challenges.all() if c.decided_at is None],
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conduct_exception_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Someone independent of the case (oversight, by default) allows charges about conduct
    older than the rulebook's time limit, with reasons (R-29)."""
    case = case_for(request.user, reference, action="view", request=request)
    late = conduct_out_of_time(case)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conduct_exception_allow(
                actor=request.user,
                case=case,
                reasons=form.cleaned_data["reasons"],
                rule_applied=form.cleaned_data["rule_applied"],
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Exception allowed: the case may now be referred.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/conduct_exception.html",
        {
            "case": case,
            "form": form,
            "late": late,
            "message": services.out_of_time_message(case, late)
            if late
            else services.EXCEPTION_NOT_NEEDED,
        },
        status=400 if form.errors else 200,
    )


def affiliations_by_person(case: Any) -> dict[int, list[Any]]:
    """The active affiliations of the respondent and each complainant, by person id."""
    people = [case.respondent_id] + [
        p.person_id for p in case.parties.all() if p.role == Party.Role.COMPLAINANT
    ]
    found: dict[int, list[Any]] = {pk: [] for pk in people}
    for affiliation in active_affiliations(people):
        found[affiliation.person_id].append(affiliation)
    return found


@dataclass(frozen=True)
class EmailSent:
    what: str
    to: str
    status: str
    at: Any


ROLE_WORDS = {"respondent": "respondent", "complainant": "complainant", "witness": "witness"}


def emails_on_case(case: Any, timeline: list[Any]) -> list[EmailSent]:
    """Every email the case's parties were sent, newest first: the queued notices and letters,
    and those sent at once (the acknowledgement, sign-in links, complainants' updates), which
    the ledger records."""
    people = {p.person_id: p.person for p in case.parties.select_related("person")}
    parties = {p.pk: p for p in case.parties.select_related("person")}
    found = [
        EmailSent(
            f"{n.get_kind_display()} (letter)" if n.channel == "post" else n.get_kind_display(),
            f"{n.to_name} ({ROLE_WORDS.get(n.role, n.role)})",
            f"Posted {n.posted_on:%-d %b %Y}, served {n.served_on:%-d %b %Y}; recorded"
            if n.posted_on and n.served_on
            else n.get_status_display(),
            n.sent_at or n.created_at,
        )
        for n in case.notifications.order_by("-created_at")[:50]
    ]
    for entry in timeline:
        event, payload = entry.event, entry.event.payload or {}
        if entry.change is not None and entry.change.reasons == AUTO_ACK_REASONS:
            complainants = [p.person for p in parties.values() if p.role == "complainant"]
            names = ", ".join(person.full_name for person in complainants) or "The complainant"
            found.append(
                EmailSent(
                    "Acknowledgement with the reference", f"{names} (complainant)", "Sent", event.at
                )
            )
        elif event.kind == EventKind.SIGN_IN_LINK_SENT:
            person = people.get(payload.get("person"))
            role = ROLE_WORDS.get(payload.get("role", ""), "party")
            name = person.full_name if person else "A party"
            found.append(
                EmailSent("Sign-in link to follow the case", f"{name} ({role})", "Sent", event.at)
            )
        elif event.kind == EventKind.COMPLAINANT_UPDATE_SENT:
            party = parties.get(payload.get("party"))
            name = party.person.full_name if party else "The complainant"
            found.append(
                EmailSent("Update on the complaint", f"{name} (complainant)", "Sent", event.at)
            )
    return sorted(found, key=lambda e: e.at, reverse=True)


@login_required
@require_http_methods(["GET", "POST"])
def case_transition_view(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    spec = case.rulebook.spec
    move = spec.transitions.get(transition)
    if move is None:
        raise Http404("That action does not exist in this case's rulebook.")
    form = TransitionForm(request.POST or None, spec=spec, transition=move)
    refused = ""
    if move.source != case.stage:
        refused = services.NOT_ALLOWED_AT_STAGE.format(
            label=move.label, stage=spec.stage_label(case.stage)
        )
    elif request.method == "POST" and form.is_valid():
        try:
            workflow.case_transition(
                actor=request.user,
                case=case,
                transition=move.key,
                reasons=form.cleaned_data["reasons"],
                rule_applied=form.cleaned_data["rule_applied"],
                sanction=form.cleaned_data.get("sanction", ""),
                sanction_ends_on=form.cleaned_data.get("sanction_ends_on"),
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{move.label}: recorded.")
            return redirect("cases:detail", reference=case.reference)
    status = 409 if refused else (400 if form.errors else 200)
    return render(
        request,
        "cases/case_transition.html",
        {"case": case, "move": move, "form": form, "refused": refused, "spec": spec},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_hearing_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.case_schedule_hearing(
                actor=request.user, case=case, hearing_at=form.hearing_at()
            )
        except CaseError as error:
            form.add_error("hearing_on", str(error))
        else:
            messages.success(request, "Hearing scheduled and notice recorded.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/case_hearing.html",
        {"case": case, "form": form, "earliest": workflow.hearing_earliest(case)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_assign_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = AssignForm(request.POST or None, organisation_id=case.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.case_assign(
                actor=request.user,
                case=case,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
        except CaseError as error:
            form.add_error("user", str(error))
        else:
            messages.success(request, "Added to the case team.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/case_assign.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_witness_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = WitnessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_add_witness(
                actor=request.user,
                case=case,
                details=PersonDetails(
                    full_name=form.cleaned_data["full_name"],
                    email=form.cleaned_data["email"],
                    membership_number=form.cleaned_data["membership_number"],
                ),
            )
        except CaseError as error:
            form.add_error("full_name", str(error))
        else:
            messages.success(request, "Witness added.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/case_witness.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def allegation_rules_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    allegation = get_object_or_404(case.allegations, pk=pk)
    form = ConductRulesForm(
        request.POST or None,
        spec=case.rulebook.spec,
        initial={"refs": allegation.conduct_rule_refs},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.allegation_set_conduct_rules(
                actor=request.user, allegation=allegation, refs=form.cleaned_data["refs"]
            )
        except CaseError as error:
            form.add_error("refs", str(error))
        else:
            messages.success(request, "Conduct rules recorded.")
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/allegation_rules.html",
        {"case": case, "allegation": allegation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_protect_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    party = get_object_or_404(case.parties.select_related("person"), pk=pk, role="complainant")
    form = ReasonsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.party_protect_identity(
            actor=request.user, party=party, reason=form.cleaned_data["reasons"]
        )
        messages.success(
            request, f"{party.person.full_name}'s identity is withheld from the respondent."
        )
        return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/party_protect.html",
        {"case": case, "party": party, "form": form},
        status=400 if form.errors else 200,
    )
