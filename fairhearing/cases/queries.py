"""Reads shared by the case pages, the API and reports."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from fairhearing.accounts.models import User
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import events_for_case
from fairhearing.people.models import Person, person_hash
from fairhearing.people.queries import people_named_like

from .models import Assignment, Case, ConductLimitException, Party, StageChange

# The start of a case or complaint reference as typed, upper-cased: "FH-2026-000", "FHC-2026"
# (references are `<prefix>[C]-<year>-<number>`, cases.services.references_take).
REFERENCE_START = re.compile(r"[A-Z]{1,9}-[0-9]{1,4}(?:-[0-9]*)?")
# Past this many cases, the start of a reference lists none of them and asks for more of it
# (as `people.queries.NAME_MATCHES_MAX` does for part of a name).
REFERENCE_MATCHES_MAX = 1000


@dataclass(frozen=True)
class SearchFound:
    """The cases a search found; `too_broad` when part of a name or the start of a reference
    matched too many to list (those add no cases: the page asks for more of it)."""

    cases: set[int]
    too_broad: bool = False


def search_named(search: str, *, organisation_id: int) -> set[int]:
    """Every case a search names, whoever may see it: by case or complaint reference, or by a
    person's exact name or membership number in the organisation (what a refused search
    records, cases.access)."""
    term = search.strip().upper()
    # Each way of matching is its own indexed look-up, and the list keeps the cases found:
    # one OR across them made PostgreSQL scan every case (4.2 s at 1,000,000 cases).
    found = set(Case.objects.filter(reference=term).values_list("pk", flat=True))
    found |= set(
        Case.complaints.through.objects.filter(complaint__reference=term).values_list(
            "case_id", flat=True
        )
    )
    # Names and membership numbers are encrypted: an exact match (case and spaces aside)
    # by their keyed hashes, on the respondent or any party. The organisation leads both
    # hashes' indexes: without it, PostgreSQL read every person (45 ms at 100,000 people
    # with names as varied as a real membership's).
    name, number = person_hash("full_name", search), person_hash("membership_number", search)
    if name:
        people = list(
            Person.objects.filter(
                Q(full_name_hash=name) | Q(membership_number_hash=number),
                organisation_id=organisation_id,
            ).values_list("pk", flat=True)
        )
        found |= _cases_of(people)
    return found


def _cases_of(people: list[int]) -> set[int]:
    """The cases these people are the respondent or a party of."""
    if not people:
        return set()
    found = set(Case.objects.filter(respondent__in=people).values_list("pk", flat=True))
    found |= set(Party.objects.filter(person__in=people).values_list("case_id", flat=True))
    return found


def search_found(search: str, *, organisation_id: int) -> SearchFound:
    """Every case of the organisation a search finds, whoever may see it: the cases it names
    (`search_named`); those whose reference, or a complaint's, starts with it; and those whose
    respondent or a party has, for each word of the search, a word of their name starting
    with it ("bram okaf" finds Bramwell Okafor: `people.queries.people_named_like`)."""
    found = search_named(search, organisation_id=organisation_id)
    too_broad = False
    term = search.strip().upper()
    if REFERENCE_START.fullmatch(term):
        # PostgreSQL's LIKE 'FH-2026-00%' reads the references' pattern index (Django makes
        # one for a unique CharField). Each organisation has its own prefix, so no filter on
        # the organisation, which could tempt the planner into reading all its cases.
        starting = set(
            Case.objects.filter(reference__startswith=term)
            .order_by()
            .values_list("pk", flat=True)[: REFERENCE_MATCHES_MAX + 1]
        )
        starting |= set(
            Case.complaints.through.objects.filter(complaint__reference__startswith=term)
            .order_by()
            .values_list("case_id", flat=True)[: REFERENCE_MATCHES_MAX + 1]
        )
        if len(starting) > REFERENCE_MATCHES_MAX:
            too_broad = True
        else:
            found |= starting
    named = people_named_like(organisation_id, search)
    if named is not None:
        too_broad |= named.too_many
        found |= _cases_of(named.people)
    return SearchFound(found, too_broad)


def search_matches(search: str, *, organisation_id: int) -> set[int]:
    """The cases `search_found` finds."""
    return search_found(search, organisation_id=organisation_id).cases


@dataclass(frozen=True)
class ComplainantAccount:
    """One complainant's own account of the conduct, as they gave it, with what they sent."""

    complaint: Any
    party: Any  # their Party on this case (None if the complaint named them nowhere here)
    evidence: list[Any]


def complainants_accounts(case: Case) -> list[ComplainantAccount]:
    """Each complaint joined to the case, oldest first, with its complainant's party and the
    evidence that complainant gave: three queries whatever the number of complainants."""
    complaints = list(
        case.complaints.select_related("complainant", "anonymous_report").order_by("received_at")
    )
    parties = {p.person_id: p for p in case.parties.filter(role=Party.Role.COMPLAINANT)}
    given: dict[int, list[Any]] = {}
    # Through the case's own relation: evidence hangs off a case, above this app.
    for item in case.evidence.filter(
        added_by_person_id__in=[c.complainant_id for c in complaints]
    ).order_by("number"):
        if item.added_by_person_id is not None:
            given.setdefault(item.added_by_person_id, []).append(item)
    return [
        ComplainantAccount(c, parties.get(c.complainant_id), given.get(c.complainant_id, []))
        for c in complaints
    ]


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    change: StageChange | None
    detail: str = ""  # what the event was about, in words (a time limit, a reminder)
    reasons: str = ""  # the reasons recorded with it, where not a stage change's (a reassignment)


@dataclass(frozen=True)
class OutOfTime:
    """A case whose conduct is all older than the rulebook's time limit for charges (R-29)."""

    latest_conduct: dt.date
    years: int
    expired_on: dt.date
    transitions: frozenset[str]  # the decisions it bars
    exception: Any  # the independent decision allowing charges anyway, if any

    @property
    def barred(self) -> bool:
        return self.exception is None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def conduct_out_of_time(case: Case, on: dt.date | None = None) -> OutOfTime | None:
    """Whether the time limit for charges has run out on this case's conduct, counted from
    the latest conduct date of its allegations; None if it has not (or no date is known)."""
    spec = case.rulebook.spec
    years = spec.conduct_time_limit_years
    if years is None:
        return None
    dates = [a.conduct_date for a in case.allegations.all() if a.conduct_date is not None]
    if not dates:
        return None
    latest = max(dates)
    expired_on = add_years(latest, years)
    if expired_on > (on or timezone.localdate()):
        return None
    exception = ConductLimitException.objects.filter(case=case).first()
    return OutOfTime(latest, years, expired_on, spec.conduct_limited_transitions, exception)


def _event_detail(payload: dict[str, Any], limits: dict[str, str], spec: Any) -> str:
    """A time limit's name, its due date and a reminder's percentage, or a checklist's check,
    as people say them."""
    if payload.get("through") == "portal":  # a party's own act (a challenge for bias)
        return "By the party, in their portal"
    if payload.get("check"):  # a check of a stage's checklist, ticked or unticked
        return str(spec.check_label(payload.get("stage", ""), payload["check"]))
    kind = payload.get("kind")
    if not kind:
        return ""
    words = limits.get(kind) or str(kind).replace("_", " ").capitalize()
    if payload.get("due_at"):
        due = timezone.localtime(dt.datetime.fromisoformat(payload["due_at"]))
        words += f": due {date_format(due, 'j F Y')}"
    if payload.get("awaits_service"):
        words += ": starts when the letter telling the respondent is served"
    if payload.get("served_on"):
        words += f" (served {date_format(dt.date.fromisoformat(payload['served_on']), 'j F Y')})"
    if payload.get("percent"):
        words += f": {payload['percent']}% of the time gone"
    return words


def case_timeline(case: Case) -> list[TimelineEntry]:
    """The case's history, read from the ledger, with each decision's recorded reasons."""
    events = list(events_for_case(case.pk))
    change_ids = [e.payload.get("stage_change") for e in events if e.payload.get("stage_change")]
    changes = {
        c.pk: c for c in StageChange.objects.filter(pk__in=change_ids).select_related("actor")
    }
    team_kinds = {EventKind.CASE_ASSIGNED, EventKind.CASE_UNASSIGNED}
    places = {
        place.pk: place
        for place in Assignment.objects.filter(
            pk__in=[e.payload.get("assignment") for e in events if e.kind in team_kinds]
        ).select_related("user")
    }
    spec = case.rulebook.spec
    limits = {limit.kind: limit.label for limit in spec.time_limits}
    entries = []
    for e in events:
        detail, reasons = _event_detail(e.payload or {}, limits, spec), ""
        place = places.get(e.payload.get("assignment")) if e.kind in team_kinds else None
        if place is not None:
            joined = e.kind == EventKind.CASE_ASSIGNED
            detail = f"{place.user.display_name}, {place.get_role_display().lower()}"
            reasons = place.reasons if joined else place.end_reasons
        entries.append(
            TimelineEntry(e, changes.get(e.payload.get("stage_change")), detail, reasons)
        )
    return entries


# The timeline's views: what people decided, what was said to and by the parties, and what
# the system did (time limits, reminders, views of the file). Kinds not named are "system".
TIMELINE_VIEWS = {
    "all": "Everything",
    "decisions": "Decisions",
    "communications": "Letters, emails and messages",
    "system": "Time limits and system events",
}
DECISION_KINDS = frozenset(
    {
        EventKind.COMPLAINT_RECEIVED,
        EventKind.CASE_OPENED,
        EventKind.CASE_TRANSITIONED,
        EventKind.CASE_ASSIGNED,
        EventKind.CASE_UNASSIGNED,
        EventKind.HEARING_SCHEDULED,
        EventKind.DECISION_RECORDED,
        EventKind.APPEAL_DECIDED,
        EventKind.PARTY_ADDED,
        EventKind.ALLEGATION_RULES_SET,
        EventKind.RECUSED,
        EventKind.CHALLENGE_DECIDED,
        EventKind.PANEL_DRAWN,
        EventKind.PANEL_MEMBER_ADDED,
        EventKind.PANEL_SEAT_LEFT,
        EventKind.PANEL_VOTE_CAST,
        EventKind.PANEL_DISSOLVED,
        EventKind.INTERIM_SUSPENSION_IMPOSED,
        EventKind.INTERIM_SUSPENSION_LIFTED,
        EventKind.INTERIM_SUSPENSION_REVIEWED,
        EventKind.DECISION_VERIFIED,
        EventKind.DECISION_VETOED,
        EventKind.DECISION_HELD,
        EventKind.IDENTITY_PROTECTED,
        EventKind.EVIDENCE_ADDED,
        EventKind.EVIDENCE_DISCLOSED,
        EventKind.EVIDENCE_REDACTED,
        EventKind.FILE_NOTE_DISCLOSED,
        EventKind.COMPLAINT_GROUPED,
        EventKind.CASES_LINKED,
        EventKind.CASES_UNLINKED,
        EventKind.CASES_MERGED,
        EventKind.CASES_UNMERGED,
        EventKind.CONDUCT_TIME_LIMIT_WAIVED,
        EventKind.CONTACT_DETAILS_CORRECTED,
        EventKind.DEADLINE_PAUSED,
        EventKind.DEADLINE_RESUMED,
        # Asking for a clock stop, and approving or declining it, are people's decisions; the
        # restart on its date and the escalation of a long stop are the system's.
        EventKind.CLOCK_STOP_REQUESTED,
        EventKind.CLOCK_STOP_APPROVED,
        EventKind.CLOCK_STOP_DECLINED,
        EventKind.LEGAL_HOLD_PLACED,
        EventKind.LEGAL_HOLD_LIFTED,
    }
)
COMMUNICATION_KINDS = frozenset(
    {
        EventKind.ACKNOWLEDGEMENT_SENT,
        EventKind.SIGN_IN_LINK_SENT,
        EventKind.PARTY_SIGNED_IN,
        EventKind.REPLY_RECEIVED,
        EventKind.HEARING_REQUESTED,
        EventKind.HEARING_MOVED_FOR_COMPANION,
        EventKind.MESSAGE_SENT,
        EventKind.COMPLAINANT_UPDATE_SENT,
        EventKind.NOTIFICATION_SENT,
        EventKind.LETTER_TO_POST,
        EventKind.LETTER_POSTED,
        EventKind.CHALLENGE_RAISED,
        EventKind.ANONYMOUS_REPORT_OPENED,
        EventKind.SURVEY_INVITED,
    }
)


def timeline_view_of(entry: TimelineEntry) -> str:
    kind = entry.event.kind
    if entry.change is not None or kind in DECISION_KINDS:
        return "decisions"
    if kind in COMMUNICATION_KINDS:
        return "communications"
    return "system"


def timeline_views(timeline: list[TimelineEntry]) -> dict[str, int]:
    """How many entries each view of the timeline shows."""
    counts = {view: 0 for view in TIMELINE_VIEWS}
    for entry in timeline:
        counts[timeline_view_of(entry)] += 1
    counts["all"] = len(timeline)
    return counts


def timeline_filtered(timeline: list[TimelineEntry], view: str) -> list[TimelineEntry]:
    if view not in TIMELINE_VIEWS or view == "all":
        return timeline
    return [entry for entry in timeline if timeline_view_of(entry) == view]


def actors_by_id(events: list[TimelineEntry]) -> dict[int, str]:
    """Who did each thing on the timeline, by name (never the account's username)."""
    ids = {entry.event.actor_id for entry in events if entry.event.actor_id}
    return {u.pk: u.display_name for u in User.objects.filter(pk__in=ids)}


def team_names(case_ids: list[int]) -> dict[int, list[str]]:
    """The names of each case's current team (active accounts only), for a page of cases in
    one query."""
    names: dict[int, list[str]] = {}
    if not case_ids:
        return names
    team = (
        Assignment.objects.filter(case_id__in=case_ids, ended_at__isnull=True, user__is_active=True)
        .select_related("user")
        .order_by("case_id", "assigned_at", "pk")
    )
    for assignment in team:
        name = assignment.user.display_name
        if name not in names.setdefault(assignment.case_id, []):
            names[assignment.case_id].append(name)
    return names
