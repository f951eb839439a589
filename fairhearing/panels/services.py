"""Drawing panels, sitting on them, voting, and interim suspension (R-24, R-27)."""

import datetime as dt
import random
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.cases.models import Case
from fairhearing.cases.services import check_sanction
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.models import Deadline
from fairhearing.deadlines.services import deadline_close, deadline_open
from fairhearing.interests.models import BiasChallenge
from fairhearing.interests.queries import conflicts_for
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.webhooks.services import webhook_raise

from .models import InterimSuspension, Panel, Seat, TrainingRecord, Vote
from .queries import active_seats, panel_eligibility, panel_tally, sitting_panel

PANEL_STAGE = {Panel.Kind.HEARING: ("hearing", "decision"), Panel.Kind.APPEAL: ("appeal",)}
WRONG_STAGE = "A {kind} can only be drawn while the case is at the stage {stages}."
ALREADY_SITTING = "A {kind} is already sitting on this case."
NO_CHAIR = "No eligible panel member holds the qualification to chair ({qualification})."
TOO_FEW = "Only {eligible} eligible panel members; the rulebook needs {size}."
CONFLICTED_SEAT = "You cannot affirm: you {why}. Step aside instead."
ALREADY_AFFIRMED = "You have already affirmed that you have no conflict."
NOT_AFFIRMED = "Affirm that you have no conflict before voting."
ALREADY_VOTED = "You have already voted."
NOT_A_DECISION = "That is not a decision this panel can vote for now."
NEEDS_REASONS = "Give the reasons for your vote."
NO_SANCTION_FOR_THIS = "“{label}” carries no sanction: leave the sanction empty."
VOTE_BEFORE_HEARING = (
    "The panel votes after the hearing: it is scheduled for {when}, and cannot be voted on before."
)
VOTE_WITHOUT_HEARING = "The panel votes after the hearing, and no hearing has been scheduled."
FULL_PANEL = "The panel already has all its members."
NOT_CHAIR = "Only the chair of a sitting panel, whose members have all affirmed, can do this."
SUSPENSION_TOO_LONG = "An interim suspension may last at most {days} days: until {latest}."
SUSPENSION_ENDS_IN_PAST = "The end date must be after today."
NOT_SUSPENDED = "There is no interim suspension in force."
CHALLENGE_PENDING = (
    "{name} is challenged for bias and the challenge is not yet decided: decide it before the "
    "panel's decision is recorded."
)


def _panel_rules(case: Case) -> dict[str, Any]:
    rules = case.rulebook.spec.definition.get("panel", {})
    return {
        "size": int(rules.get("size", 3)),
        "quorum": int(rules.get("quorum", 3)),
        "chair": rules.get("chair_qualification", "lawyer"),
    }


def draw(
    eligible: list[tuple[int, str]], *, seed: int, size: int, chair_qualification: str
) -> list[int]:
    """The reproducible draw: the same eligible list (sorted ids) and seed give the same panel.

    The chair is drawn first among those holding the chair's qualification, then the other
    members among everyone else. Returns user ids, chair first.
    """
    rng = random.Random(seed)
    pool = sorted(eligible)
    chairs = [uid for uid, qualification in pool if qualification == chair_qualification]
    if not chairs:
        raise CaseError(NO_CHAIR.format(qualification=chair_qualification))
    if len(pool) < size:
        raise CaseError(TOO_FEW.format(eligible=len(pool), size=size))
    chair = rng.choice(chairs)
    others = [uid for uid, _ in pool if uid != chair]
    return [chair, *rng.sample(others, size - 1)]


@transaction.atomic
def panel_draw(*, actor: Any, case: Case, kind: str, seed: int | None = None) -> Panel:
    """Draw a panel at random among the eligible, recording the eligible list and the seed."""
    case = Case.objects.select_for_update().select_related("rulebook").get(pk=case.pk)
    stages = PANEL_STAGE[Panel.Kind(kind)]
    label = Panel.Kind(kind).label.lower()
    if case.stage not in stages:
        raise CaseError(WRONG_STAGE.format(kind=label, stages=" or ".join(stages)))
    if sitting_panel(case, kind) is not None:
        raise CaseError(ALREADY_SITTING.format(kind=label))
    rules = _panel_rules(case)
    eligibility = panel_eligibility(case, kind)
    pool = [(p.user_id, p.qualification) for p in eligibility.eligible]
    seed = secrets.randbits(62) if seed is None else seed
    chosen = draw(pool, seed=seed, size=rules["size"], chair_qualification=rules["chair"])
    panel = Panel.objects.create(
        case=case,
        kind=kind,
        drawn_by=actor,
        seed=seed,
        eligible=[list(p) for p in sorted(pool)],
        excluded={str(uid): why for uid, why in sorted(eligibility.excluded.items())},
    )
    for position, user_id in enumerate(chosen):
        Seat.objects.create(panel=panel, user_id=user_id, is_chair=position == 0)
    event_append(
        actor=actor,
        kind=EventKind.PANEL_DRAWN,
        case_id=case.pk,
        payload={
            "panel": panel.pk,
            "kind": kind,
            "seed": seed,
            "eligible": [uid for uid, _ in sorted(pool)],
            "excluded": sorted(eligibility.excluded),
            "chair": chosen[0],
            "members": chosen,
            "size": rules["size"],
            "chair_qualification": rules["chair"],
        },
    )
    return panel


@transaction.atomic
def panel_add_member(*, actor: Any, panel: Panel, seed: int | None = None) -> Seat:
    """Fill a seat left empty by a recusal or an upheld challenge, by the same kind of draw."""
    case = panel.case
    rules = _panel_rules(case)
    seats = list(active_seats(panel))
    if len(seats) >= rules["size"]:
        raise CaseError(FULL_PANEL)
    eligibility = panel_eligibility(case, panel.kind)
    pool = sorted((p.user_id, p.qualification) for p in eligibility.eligible)
    seed = secrets.randbits(62) if seed is None else seed
    needs_chair = not any(s.is_chair for s in seats)
    if needs_chair:
        user_id = draw(pool, seed=seed, size=1, chair_qualification=rules["chair"])[0]
    else:
        if not pool:
            raise CaseError(TOO_FEW.format(eligible=0, size=1))
        user_id = random.Random(seed).choice([uid for uid, _ in pool])
    seat = Seat.objects.create(panel=panel, user_id=user_id, is_chair=needs_chair)
    event_append(
        actor=actor,
        kind=EventKind.PANEL_MEMBER_ADDED,
        case_id=case.pk,
        payload={
            "panel": panel.pk,
            "seat": seat.pk,
            "user": user_id,
            "seed": seed,
            "eligible": [uid for uid, _ in pool],
            "chair": needs_chair,
        },
    )
    return seat


@transaction.atomic
def panel_constitute(*, actor: Any, case: Case, kind: str) -> tuple[Panel, bool]:
    """Draw the panel the case needs, or fill an empty seat of the one sitting.

    Returns the panel and whether it was newly drawn.
    """
    panel = sitting_panel(case, kind)
    if panel is None:
        return panel_draw(actor=actor, case=case, kind=kind), True
    panel_add_member(actor=actor, panel=panel)
    return panel, False


@transaction.atomic
def seat_affirm(*, actor: Any, seat: Seat) -> Seat:
    """The member affirms they have no conflict; only then do they see the case."""

    if seat.affirmed_at is not None:
        raise CaseError(ALREADY_AFFIRMED)
    conflicts = conflicts_for(actor, seat.panel.case)
    if conflicts:
        raise CaseError(CONFLICTED_SEAT.format(why="; ".join(conflicts)))
    seat.affirmed_at = timezone.now()
    seat.save(update_fields=["affirmed_at"])
    event_append(
        actor=actor,
        kind=EventKind.PANEL_SEAT_AFFIRMED,
        case_id=seat.panel.case_id,
        payload={"panel": seat.panel_id, "seat": seat.pk},
    )
    return seat


def seat_leave(*, actor: Any, user: Any, case: Case, why: str) -> None:
    """Take the user off every sitting panel of the case (inside the caller's transaction)."""
    now = timezone.now()
    for seat in Seat.objects.filter(
        panel__case=case, panel__dissolved_at__isnull=True, user=user, left_at__isnull=True
    ):
        seat.left_at = now
        seat.save(update_fields=["left_at"])
        event_append(
            actor=actor,
            kind=EventKind.PANEL_SEAT_LEFT,
            case_id=case.pk,
            payload={"panel": seat.panel_id, "seat": seat.pk, "user": user.pk, "because": why},
        )


@transaction.atomic
def panel_vote(
    *,
    actor: Any,
    seat: Seat,
    transition: str,
    reasons: str,
    sanction: str = "",
    sanction_ends_on: dt.date | None = None,
) -> Vote:
    """One member's vote on the decision the case's stage calls for; the minority's votes are
    the recorded dissent. A hearing panel votes only once its hearing has been held; a
    sanction that ends is voted with its end, within the rulebook's maximum."""
    panel = seat.panel
    case = panel.case
    spec = case.rulebook.spec
    now = timezone.now()
    if seat.affirmed_at is None:
        raise CaseError(NOT_AFFIRMED)
    if Vote.objects.filter(seat=seat).exists():
        raise CaseError(ALREADY_VOTED)
    choices = {t.key for t in voting_transitions(case, panel)}
    if transition not in choices:
        raise CaseError(NOT_A_DECISION)
    if panel.kind == Panel.Kind.HEARING:
        if case.hearing_at is None:
            raise CaseError(VOTE_WITHOUT_HEARING)
        if case.hearing_at > now:
            when = timezone.localtime(case.hearing_at)
            raise CaseError(VOTE_BEFORE_HEARING.format(when=f"{when:%-d %B %Y, %H:%M}"))
    if not reasons.strip():
        raise CaseError(NEEDS_REASONS)
    move = spec.transitions[transition]
    if "sanction" in move.requires:
        check_sanction(spec, sanction, sanction_ends_on, timezone.localdate(now))
        if not spec.sanctions[sanction].requires_end_date:
            sanction_ends_on = None
    elif sanction or sanction_ends_on:
        raise CaseError(NO_SANCTION_FOR_THIS.format(label=move.label))
    vote = Vote.objects.create(
        panel=panel,
        seat=seat,
        transition=transition,
        sanction=sanction,
        sanction_ends_on=sanction_ends_on,
        reasons=reasons.strip(),
    )
    event_append(
        actor=actor,
        kind=EventKind.PANEL_VOTE_CAST,
        case_id=case.pk,
        payload={
            "panel": panel.pk,
            "seat": seat.pk,
            "vote": vote.pk,
            "transition": transition,
            "sanction": sanction,
            "sanction_ends_on": sanction_ends_on.isoformat() if sanction_ends_on else None,
            "reasons_sha256": content_hash(vote.reasons),
        },
    )
    return vote


def voting_transitions(case: Case, panel: Panel) -> list[Any]:
    """The transitions from the case's stage that need this panel's vote."""
    needed = f"panel_vote:{panel.kind}"
    return [t for t in case.rulebook.spec.transitions_from(case.stage) if needed in t.requires]


def check_panel_vote(
    case: Case, kind: str, transition: str, sanction: str, sanction_ends_on: dt.date | None = None
) -> str | None:
    """Why the panel's vote does not support this decision, or None if it does. A sanction's
    end may come sooner than the majority voted, never later than the latest of them."""
    panel = sitting_panel(case, kind)
    if panel is None:
        return f"No {Panel.Kind(kind).label.lower()} is sitting on this case."
    pending = (
        BiasChallenge.objects.filter(
            case=case,
            decided_at__isnull=True,
            challenged__in=active_seats(panel).values("user_id"),
        )
        .select_related("challenged")
        .first()
    )
    if pending is not None:
        return CHALLENGE_PENDING.format(name=pending.challenged.display_name)
    tally = panel_tally(panel)
    if not tally.quorate:
        return f"The panel has {tally.votes} of the {tally.quorum} votes its quorum needs."
    if tally.majority != transition:
        return "The panel's majority did not vote for this decision."
    if sanction and sanction not in tally.sanctions:
        return "No member of the majority voted for that sanction."
    if sanction_ends_on is not None:
        voted = [
            v.sanction_ends_on
            for v in panel.votes.filter(transition=transition, sanction=sanction)
            if v.sanction_ends_on is not None
        ]
        if voted and sanction_ends_on > max(voted):
            return f"The majority voted for it to end by {max(voted):%-d %B %Y} at the latest."
    return None


@transaction.atomic
def panel_dissolve(*, actor: Any, panel: Panel, reasons: str) -> Panel:
    panel.dissolved_at = timezone.now()
    panel.dissolved_reason = reasons
    panel.save(update_fields=["dissolved_at", "dissolved_reason"])
    event_append(
        actor=actor,
        kind=EventKind.PANEL_DISSOLVED,
        case_id=panel.case_id,
        payload={"panel": panel.pk, "reasons_sha256": content_hash(reasons)},
    )
    return panel


def _chair_of_sitting_panel(actor: Any, case: Case) -> Panel:
    for kind in (Panel.Kind.HEARING, Panel.Kind.APPEAL):
        panel = sitting_panel(case, kind)
        if panel is None:
            continue
        seats = list(active_seats(panel))
        if any(s.user_id == actor.pk and s.is_chair for s in seats) and all(
            s.affirmed_at for s in seats
        ):
            return panel
    raise CaseError(NOT_CHAIR)


@transaction.atomic
def interim_suspension_impose(
    *, actor: Any, case: Case, reasons: str, ends_on: dt.date
) -> InterimSuspension:
    """Never automatic (R-27): only a sitting panel, through its chair, with reasons, a review
    that comes due like any deadline, and an end no later than the rulebook allows."""
    panel = _chair_of_sitting_panel(actor, case)
    if not reasons.strip():
        raise CaseError(NEEDS_REASONS)
    rules = case.rulebook.spec.definition.get("interim_suspension", {})
    max_days = int(rules.get("max_days", 90))
    today = timezone.localdate()
    latest = today + dt.timedelta(days=max_days)
    if ends_on <= today:
        raise CaseError(SUSPENSION_ENDS_IN_PAST)
    if ends_on > latest:
        raise CaseError(SUSPENSION_TOO_LONG.format(days=max_days, latest=f"{latest:%d %B %Y}"))
    now = timezone.now()
    review = deadline_open(
        actor=actor,
        case=case,
        kind="interim_suspension_review",
        label="Review the interim suspension",
        working_days=int(rules.get("review_working_days", 20)),
        at=now,
    )
    suspension = InterimSuspension.objects.create(
        case=case, panel=panel, reasons=reasons.strip(), review_deadline=review, ends_on=ends_on
    )

    webhook_raise(
        case=case,
        name="suspension.started",
        dedupe_key=f"interim:{suspension.pk}:start",
        details={"interim": True, "ends_on": ends_on.isoformat()},
    )
    event_append(
        actor=actor,
        kind=EventKind.INTERIM_SUSPENSION_IMPOSED,
        case_id=case.pk,
        payload={
            "suspension": suspension.pk,
            "panel": panel.pk,
            "ends_on": ends_on.isoformat(),
            "review_deadline": review.pk,
            "reasons_sha256": content_hash(suspension.reasons),
        },
    )
    return suspension


@transaction.atomic
def interim_suspension_lift(*, actor: Any, case: Case, reasons: str) -> InterimSuspension:
    suspension = case.interim_suspensions.filter(lifted_at__isnull=True).first()
    if suspension is None:
        raise CaseError(NOT_SUSPENDED)
    _chair_of_sitting_panel(actor, case)
    if not reasons.strip():
        raise CaseError(NEEDS_REASONS)
    now = timezone.now()
    suspension.lifted_at = now
    suspension.lifted_reasons = reasons.strip()
    suspension.save(update_fields=["lifted_at", "lifted_reasons"])
    review = suspension.review_deadline
    if review is not None and review.status != Deadline.Status.CLOSED:
        deadline_close(actor=actor, deadline=review, at=now)

    webhook_raise(
        case=case,
        name="suspension.ended",
        dedupe_key=f"interim:{suspension.pk}:end",
        details={"interim": True, "ends_on": None},
    )
    event_append(
        actor=actor,
        kind=EventKind.INTERIM_SUSPENSION_LIFTED,
        case_id=case.pk,
        payload={"suspension": suspension.pk, "reasons_sha256": content_hash(reasons.strip())},
    )
    return suspension


@transaction.atomic
def interim_suspension_review(*, actor: Any, case: Case, reasons: str) -> InterimSuspension:
    """The panel reviews the suspension and keeps it: the review is met and the next comes due."""
    suspension = case.interim_suspensions.filter(lifted_at__isnull=True).first()
    if suspension is None:
        raise CaseError(NOT_SUSPENDED)
    _chair_of_sitting_panel(actor, case)
    if not reasons.strip():
        raise CaseError(NEEDS_REASONS)
    now = timezone.now()
    review = suspension.review_deadline
    if review is not None and review.status != Deadline.Status.CLOSED:
        deadline_close(actor=actor, deadline=review, at=now)
    rules = case.rulebook.spec.definition.get("interim_suspension", {})
    suspension.review_deadline = deadline_open(
        actor=actor,
        case=case,
        kind="interim_suspension_review",
        label="Review the interim suspension",
        working_days=int(rules.get("review_working_days", 20)),
        at=now,
    )
    suspension.save(update_fields=["review_deadline"])
    event_append(
        actor=actor,
        kind=EventKind.INTERIM_SUSPENSION_REVIEWED,
        case_id=case.pk,
        payload={
            "suspension": suspension.pk,
            "next_review": suspension.review_deadline.pk,
            "reasons_sha256": content_hash(reasons.strip()),
        },
    )
    return suspension


COURSE_NEEDED = "Enter the name of the course."
NOT_OUR_STAFF = "Choose someone in your organisation."
EXPIRES_AFTER = "The training must expire after the day it was completed."


@transaction.atomic
def training_record(
    *, actor: Any, user: Any, course: str, completed_on: dt.date, expires_on: dt.date
) -> TrainingRecord:
    """Record that `user` completed `course` (R-64): until `expires_on` it counts towards the
    training the rulebook requires before they join a case team or are drawn for a panel."""
    course = " ".join(course.split())
    if not course:
        raise CaseError(COURSE_NEEDED)
    if actor is not None and user.organisation_id != actor.organisation_id:
        raise CaseError(NOT_OUR_STAFF)
    if expires_on <= completed_on:
        raise CaseError(EXPIRES_AFTER)
    record = TrainingRecord.objects.create(
        user=user, course=course, completed_on=completed_on, expires_on=expires_on
    )
    event_append(
        actor=actor,
        kind=EventKind.TRAINING_RECORDED,
        payload={
            "user": user.pk,
            "record": record.pk,
            "course_sha256": content_hash(course),
            "expires_on": expires_on.isoformat(),
        },
    )
    return record
