"""Staff pages for cases: thin, each one access function and at most one service."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairhearing.compliance.queries import conditions_of
from fairhearing.compliance.services import sanction_in_effect
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.access import may_decide_clock_stop
from fairhearing.deadlines.queries import clock_stops_live
from fairhearing.evidence.queries import allegations_evidenced
from fairhearing.intake.services import AUTO_ACK_REASONS
from fairhearing.ledger.models import EventKind
from fairhearing.notes.access import notes_readable
from fairhearing.notes.forms import NoteForm
from fairhearing.notes.queries import notes_on_case_page
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
    case_for,
    user_may_act,
)
from .forms import (
    AssignForm,
    ConductRulesForm,
    DecisionForm,
    HearingForm,
    ReasonsForm,
    TransitionForm,
    WitnessForm,
)
from .models import Party
from .queries import (
    TIMELINE_VIEWS,
    actors_by_id,
    case_timeline,
    complainants_accounts,
    conduct_out_of_time,
    timeline_filtered,
    timeline_views,
)

AFFIRM_FIRST = (
    "You sit on this case's panel. Before you read the case, confirm that you have no "
    "conflict of interest, or step aside."
)


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
    stops = clock_stops_live(case)
    late = None if case.is_closed else conduct_out_of_time(case)
    context = {
        "case": case,
        "spec": spec,
        "may_act": user_may_act(request.user, case),
        "steps": next_steps(case),
        "allegations": allegations_evidenced(case),
        "parties": case.parties.select_related("person", "complaint__anonymous_report"),
        "complaints": case.complaints.order_by("received_at"),
        "accounts": complainants_accounts(case),
        "deadlines": [d for d in deadlines if d.status != "closed"],
        "finished_deadlines": [d for d in deadlines if d.status == "closed"],
        # Time limit id -> its clock stop awaiting a decision or in force.
        "clock_stops": stops,
        # The stops awaiting a decision that this user may approve or decline.
        "stops_to_decide": {
            stop.pk
            for stop in stops.values()
            if stop.awaiting and may_decide_clock_stop(request.user, stop)
        },
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
        # None: this user does not read the case's file notes (a panel member).
        "file_notes": (notes_on_case_page(case) if notes_readable(request.user, case) else None),
        "note_form": NoteForm(),
        "conditions": conditions_of(case),
        "sanction_in_effect": sanction_in_effect(case),
        "today": timezone.localdate(),
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
