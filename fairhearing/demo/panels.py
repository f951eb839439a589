"""The demo's independent panel pool, and the panels that cases need drawn, affirmed and
voted before a decision (tests use these too)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from fairhearing.accounts.models import Role, User
from fairhearing.cases.models import Case
from fairhearing.organisations.models import Organisation
from fairhearing.panels.models import Panellist, TrainingRecord, Vote
from fairhearing.panels.queries import active_seats, sitting_panel
from fairhearing.panels.services import panel_draw, panel_vote, seat_affirm

from .data import DEMO_PASSWORD, PANEL_POOL


def panel_pool_ensure(organisation: Organisation, password: str = DEMO_PASSWORD) -> list[User]:
    """The fictional independent pool, with current training (created once)."""
    members = []
    today = timezone.localdate()
    for username, first, last, qualification in PANEL_POOL:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=password,
                role=Role.PANEL_MEMBER,
                organisation=organisation,
                first_name=first,
                last_name=last,
                email=f"{username}@panel.invalid",
            )
            Panellist.objects.create(user=user, qualification=qualification)
            TrainingRecord.objects.create(
                user=user,
                course="Panel member induction",
                completed_on=today - dt.timedelta(days=200),
                expires_on=today + dt.timedelta(days=530),
            )
        members.append(user)
    return members


def panel_prepare(case: Case, actor: Any, *, seed: int = 7) -> None:
    """Draw the panel the case's stage needs (if none sits) and have every member affirm."""
    kind = "appeal" if case.stage == "appeal" else "hearing"
    panel = sitting_panel(case, kind) or panel_draw(actor=actor, case=case, kind=kind, seed=seed)
    for seat in active_seats(panel):
        if seat.affirmed_at is None:
            seat_affirm(actor=seat.user, seat=seat)


def panel_decide(
    case: Case,
    actor: Any,
    transition: str,
    *,
    sanction: str = "",
    dissent: str = "",
    sanction_ends_on: dt.date | None = None,
) -> None:
    """Every member votes for `transition` (one dissenting for `dissent`, if given); a sanction
    that ends is voted to end on `sanction_ends_on` (by default in six months)."""
    panel_prepare(case, actor)
    kind = "appeal" if case.stage == "appeal" else "hearing"
    panel = sitting_panel(case, kind)
    assert panel is not None
    for index, seat in enumerate(active_seats(panel).order_by("pk")):
        if Vote.objects.filter(seat=seat).exists():
            continue
        choice = dissent if dissent and index == 2 else transition
        spec = case.rulebook.spec
        chosen = (
            (sanction or "formal_warning")
            if "sanction" in spec.transitions[choice].requires
            else ""
        )
        ends = None
        if chosen and spec.sanctions[chosen].requires_end_date:
            ends = sanction_ends_on or timezone.localdate() + dt.timedelta(days=182)
        panel_vote(
            actor=seat.user,
            seat=seat,
            transition=choice,
            reasons=f"My reasons for {choice.replace('_', ' ')}.",
            sanction=chosen,
            sanction_ends_on=ends,
        )


def panel_ready_for(
    case: Case,
    actor: Any,
    transition: str,
    *,
    password: str = DEMO_PASSWORD,
    sanction: str = "",
    dissent: str = "",
    sanction_ends_on: dt.date | None = None,
) -> None:
    """If the transition needs a panel: the pool, a drawn panel, affirmations, and votes."""
    case.refresh_from_db()
    requires = case.rulebook.spec.transitions[transition].requires
    if any(r.startswith(("panel_seated:", "panel_vote:")) for r in requires):
        panel_pool_ensure(case.organisation, password=password)
        if any(r.startswith("panel_vote:") for r in requires):
            panel_decide(
                case,
                actor,
                transition,
                sanction=sanction,
                dissent=dissent,
                sanction_ends_on=sanction_ends_on,
            )
        else:
            panel_prepare(case, actor)
