"""Who may sit on a case's panel: the independent pool, less the untrained, the conflicted,
those who stepped aside, and those already involved (separation of functions, R-23)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from fairhearing.accounts.models import CASEWORK_ROLES, User
from fairhearing.cases.models import Assignment, Case, StageChange
from fairhearing.interests.queries import conflicts_for, excluded_from_case

from .models import Panel, Panellist, Seat, TrainingRecord, Vote

CHARGE_STAGE = "charge_decision"


def involved_before(case: Case, kind: str) -> dict[int, str]:
    """Users who may not sit on a `kind` panel for this case, with why.

    Nobody who investigated, decided to charge, or sat on an earlier panel sits on the
    decision or the appeal; nor anyone else who has been on the case team.
    """
    involved: dict[int, str] = {}
    for user_id, role in Assignment.objects.filter(case=case).values_list("user_id", "role"):
        involved[user_id] = (
            "investigated the case" if role == "investigator" else "was on the case team"
        )
    for user_id in StageChange.objects.filter(case=case, from_stage=CHARGE_STAGE).values_list(
        "actor_id", flat=True
    ):
        if user_id:
            involved[user_id] = "decided to charge"
    earlier = Seat.objects.filter(panel__case=case)
    if kind == Panel.Kind.HEARING:
        earlier = earlier.filter(panel__dissolved_at__isnull=False)  # a vetoed or failed panel
    for user_id in earlier.values_list("user_id", flat=True):
        involved[user_id] = "sat on an earlier panel in this case"
    return involved


@dataclass(frozen=True)
class CourseState:
    course: str
    words: str  # "Current to 3 March 2027", "Expires 3 January 2027", "Expired …", "None recorded"
    current: bool
    expiring: bool


ANY_COURSE = "Any course"  # what a rulebook naming no course asks for: any current training


def course_state(
    records: list[TrainingRecord], name: str, today: dt.date, soon: dt.date | None = None
) -> CourseState:
    """Where a person's training in course `name` (the case and spacing ignored; `ANY_COURSE`:
    whichever course) stands on `today`, from their `records`: none recorded, expired, current,
    or expiring by `soon`."""
    wanted = name.strip().casefold()
    same = [r for r in records if name == ANY_COURSE or r.course.strip().casefold() == wanted]
    latest = max((r.expires_on for r in same), default=None)
    if latest is None:
        return CourseState(name, "None recorded", False, False)
    when = date_format(latest, "j F Y")
    if latest < today:
        return CourseState(name, f"Expired {when}", False, False)
    if soon is not None and latest <= soon:
        return CourseState(name, f"Expires {when}", True, True)
    return CourseState(name, f"Current to {when}", True, False)


def training_missing(user: Any, names: tuple[str, ...], on: dt.date | None = None) -> list[str]:
    """What `user` lacks, on `on`, of the training the rulebook requires (`names`, courses by
    name, the case ignored; none named: any current training), each in words: "Complaints
    handling (expired 3 March 2026)", "Panel member induction (none recorded)". Empty: none."""
    on = on or timezone.localdate()
    records = list(TrainingRecord.objects.filter(user=user))
    if not names:
        return [] if course_state(records, ANY_COURSE, on).current else ["any current training"]
    states = [course_state(records, name, on) for name in names]
    return [f"{s.course} ({s.words[0].lower()}{s.words[1:]})" for s in states if not s.current]


@dataclass(frozen=True)
class TrainingRow:
    user_id: int
    name: str
    role: str  # as people say it
    courses: list[CourseState]

    @property
    def ready(self) -> bool:
        return all(course.current for course in self.courses)


def training_overview(
    organisation_id: int, spec: Any, today: dt.date | None = None
) -> list[TrainingRow]:
    """Everyone who may join a case team or sit on a panel, with each course the rulebook
    requires of them and where it stands (R-64): for those who keep the training records."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=spec.training_reminder_days)
    panellists = set(
        Panellist.objects.filter(active=True, user__organisation_id=organisation_id).values_list(
            "user_id", flat=True
        )
    )
    people = (
        User.objects.filter(organisation_id=organisation_id, is_active=True)
        .filter(Q(role__in=CASEWORK_ROLES) | Q(pk__in=panellists))
        .order_by("last_name", "first_name", "username")
    )
    records: dict[int, list[TrainingRecord]] = {}
    for record in TrainingRecord.objects.filter(user__in=people):
        records.setdefault(record.user_id, []).append(record)
    rows = []
    for user in people:
        groups = ["case_team"] if user.role in CASEWORK_ROLES else []
        groups += ["panel"] if user.pk in panellists else []
        names = [name for group in groups for name in spec.training_required(group)]
        held = records.get(user.pk, [])
        courses = [
            course_state(held, name, today, soon) for name in dict.fromkeys(names) or [ANY_COURSE]
        ]
        rows.append(TrainingRow(user.pk, user.display_name, user.get_role_display(), courses))
    return rows


@dataclass(frozen=True)
class Eligibility:
    eligible: list[Panellist]
    excluded: dict[int, str]


def panel_eligibility(case: Case, kind: str) -> Eligibility:

    involved = involved_before(case, kind)
    stepped_aside = excluded_from_case(case)
    seated = set(
        Seat.objects.filter(
            panel__case=case, panel__dissolved_at__isnull=True, left_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    eligible, excluded = [], {}
    required = case.rulebook.spec.training_required("panel")
    today = timezone.localdate()
    pool = (
        Panellist.objects.filter(
            active=True, user__is_active=True, user__organisation_id=case.organisation_id
        )
        .select_related("user")
        .order_by("user_id")
    )
    for panellist in pool:
        user = panellist.user
        if missing := training_missing(user, required, today):
            excluded[user.pk] = "training not current: " + ", ".join(missing)
        elif user.pk in involved:
            excluded[user.pk] = involved[user.pk]
        elif user.pk in stepped_aside:
            excluded[user.pk] = "stepped aside from this case"
        elif user.pk in seated:
            excluded[user.pk] = "already sits on a panel for this case"
        elif conflicts := conflicts_for(user, case):
            excluded[user.pk] = "; ".join(conflicts)
        else:
            eligible.append(panellist)
    return Eligibility(eligible, excluded)


def sitting_panel(case: Case, kind: str) -> Panel | None:
    return Panel.objects.filter(case=case, kind=kind, dissolved_at__isnull=True).first()


def active_seats(panel: Panel) -> QuerySet[Seat]:
    return panel.seats.filter(left_at__isnull=True).select_related("user")


@dataclass(frozen=True)
class Tally:
    votes: int
    quorum: int
    counts: dict[str, int]
    majority: str | None
    sanctions: dict[str, int]

    @property
    def quorate(self) -> bool:
        return self.votes >= self.quorum


def panel_tally(panel: Panel) -> Tally:
    quorum = int(panel.case.rulebook.spec.definition.get("panel", {}).get("quorum", 3))
    votes = list(Vote.objects.filter(panel=panel, seat__left_at__isnull=True))
    counts = Counter(v.transition for v in votes)
    majority = None
    if counts:
        top, n = counts.most_common(1)[0]
        if n * 2 > len(votes):
            majority = top
    sanctions = Counter(v.sanction for v in votes if v.transition == majority and v.sanction)
    return Tally(len(votes), quorum, dict(counts), majority, dict(sanctions))


@dataclass(frozen=True)
class PanelView:
    panel: Panel
    seats: list[Seat]
    votes: dict[int, Vote]
    tally: Tally
    excluded: list[tuple[str, str]]


def case_panels(case: Case) -> list[PanelView]:
    """Every panel of the case, sitting ones first, with seats, votes and the tally."""

    views = []
    panels = list(case.panels.order_by("dissolved_at", "-drawn_at").prefetch_related("seats__user"))
    names = {
        u.pk: u.display_name
        for u in User.objects.filter(pk__in={int(k) for p in panels for k in p.excluded})
    }
    for panel in panels:
        votes = {v.seat_id: v for v in Vote.objects.filter(panel=panel)}
        excluded = [(names.get(int(k), k), why) for k, why in panel.excluded.items()]
        views.append(PanelView(panel, list(panel.seats.all()), votes, panel_tally(panel), excluded))
    return views


@dataclass(frozen=True)
class MemberVote:
    seat: Seat
    vote: Vote | None


def panel_votes(case: Case, kind: str) -> list[MemberVote]:
    """Each member of the case's sitting panel of this kind (chair first), with their vote:
    what oversight reads before verifying the panel's decision."""
    panel = sitting_panel(case, kind)
    if panel is None:
        return []
    votes = {v.seat_id: v for v in Vote.objects.filter(panel=panel)}
    seats = panel.seats.filter(left_at__isnull=True).select_related("user")
    return [MemberVote(seat, votes.get(seat.pk)) for seat in seats.order_by("-is_chair", "pk")]


def panel_kind_due(case: Case) -> str:
    """The kind of panel the case's stage calls for and does not yet have ('' if none)."""
    kind = {
        "hearing": Panel.Kind.HEARING,
        "decision": Panel.Kind.HEARING,
        "appeal": Panel.Kind.APPEAL,
    }.get(case.stage, "")
    if not kind:
        return ""
    panel = sitting_panel(case, kind)
    if panel is None:
        return kind
    size = int(case.rulebook.spec.definition.get("panel", {}).get("size", 3))
    return kind if active_seats(panel).count() < size else ""


def seat_awaiting_affirmation(user: Any, reference: str) -> Seat | None:
    """The user's seat on this case's sitting panel, if they have not yet affirmed (or
    stepped aside): they may read the case once they affirm, so they are sent to do that."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Seat.objects.filter(
        panel__case__reference=reference,
        panel__dissolved_at__isnull=True,
        user=user,
        left_at__isnull=True,
        affirmed_at__isnull=True,
    ).first()


def seat_of(user: Any, case: Case) -> Seat | None:
    return Seat.objects.filter(
        panel__case=case, panel__dissolved_at__isnull=True, user=user, left_at__isnull=True
    ).first()


def user_on_case(user: Any, case: Case) -> bool:
    """On the case team, or on one of its sitting panels (affirmed or not)."""

    return (
        Assignment.objects.filter(case=case, user=user, ended_at__isnull=True).exists()
        or Seat.objects.filter(
            panel__case=case, panel__dissolved_at__isnull=True, user=user, left_at__isnull=True
        ).exists()
    )


def seated_on_case(user: Any, case: Case) -> bool:
    """Holds a seat (affirmed or not) on one of the case's sitting panels."""

    return Seat.objects.filter(
        panel__case=case, panel__dissolved_at__isnull=True, user=user, left_at__isnull=True
    ).exists()


def panel_members_for_parties(case: Case) -> list[tuple[int, str]]:
    """Who sits on the case's sitting panels, as (user id, name): what a party is shown, and
    may challenge for bias, in their portal (R-25: a party can only challenge whom they know
    of). Chairs first."""

    seats = (
        Seat.objects.filter(
            panel__case=case, panel__dissolved_at__isnull=True, left_at__isnull=True
        )
        .select_related("user")
        .order_by("-is_chair", "user__first_name", "user__last_name", "pk")
    )
    return [
        (
            s.user_id,
            gettext("%(name)s (chair)") % {"name": s.user.display_name}
            if s.is_chair
            else s.user.display_name,
        )
        for s in seats
    ]


def team_and_panel_members(case: Case) -> list[tuple[int, str]]:
    """Who is on the case team or a sitting panel, as (user id, name), for a challenge."""

    ids = set(
        Assignment.objects.filter(case=case, ended_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    ids |= set(
        Seat.objects.filter(
            panel__case=case, panel__dissolved_at__isnull=True, left_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    return [(u.pk, u.display_name) for u in User.objects.filter(pk__in=ids).order_by("first_name")]
