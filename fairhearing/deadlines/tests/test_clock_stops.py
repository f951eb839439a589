"""Governed clock-stops (R-56, issue 23 item 2): a pause needs a second person's approval where
the rulebook says so, and a date on which the clock restarts by itself; long pauses escalate."""

import copy
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Case
from fairhearing.conftest import make_user
from fairhearing.deadlines.access import STOP_DECIDERS
from fairhearing.deadlines.clock_stops import (
    ALREADY_ASKED,
    DECISION_NEEDS_REASONS,
    NOT_A_DECIDER,
    NOT_AWAITING,
    NOT_YOUR_OWN,
    RESTART_NEEDED,
    RESTART_NOT_FUTURE,
    RESTART_PASSED,
    STOP_NEEDS_REASONS,
    clock_stop_approve,
    clock_stop_decline,
    clock_stops_sweep,
    deadline_pause,
)
from fairhearing.deadlines.models import ClockStop, Deadline
from fairhearing.deadlines.services import DeadlineError, deadline_close, deadline_resume
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.organisations.rulebook import (
    CLOCK_STOP_DECIDERS,
    RulebookError,
    RulebookSpec,
)
from fairhearing.organisations.services import rulebook_publish

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=LONDON)


def kinds(case_id: int) -> list[int]:
    return list(
        Event.objects.filter(case_id=case_id).order_by("seq").values_list("kind", flat=True)
    )


def investigation(case: Case, kind: str = "investigation") -> Deadline:
    """A ten-working-day limit started Monday 30 November 2026, due Monday 14 December."""
    return Deadline.objects.create(
        case=case,
        kind=kind,
        label="Investigate",
        binds="organisation",
        working_days=10,
        started_at=at(2026, 11, 30, 9),
        due_at=at(2026, 12, 14, 23) + dt.timedelta(minutes=59),
    )


def rules(**clock_stops: object) -> dict:
    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["clock_stops"] = {**definition["clock_stops"], **clock_stops}
    return definition


# The approval of pauses: the done-means of issue 23 item 2.


def test_a_pause_waits_for_someone_else_to_approve_it(case, case_officer, investigator) -> None:
    deadline = investigation(case)
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=case_officer,
            deadline=deadline,
            reasons="Respondent in hospital.",
            restart_on=dt.date(2026, 12, 21),
        )
        deadline.refresh_from_db()
        # Asked for, not granted: the clock runs on.
        assert (stop.status, deadline.status) == (ClockStop.Status.REQUESTED, "open")
        assert kinds(case.pk)[-1] == EventKind.CLOCK_STOP_REQUESTED
        with pytest.raises(DeadlineError, match=NOT_YOUR_OWN):
            clock_stop_approve(actor=case_officer, stop=stop, reasons="Fine by me.")
        with pytest.raises(DeadlineError, match=DECISION_NEEDS_REASONS):
            clock_stop_approve(actor=investigator, stop=stop, reasons=" ")
        deadline.refresh_from_db()
        assert deadline.status == "open"
        clock_stop_approve(actor=investigator, stop=stop, reasons="Medical note seen.")
    stop.refresh_from_db()
    deadline.refresh_from_db()
    assert (stop.status, stop.decided_by, deadline.status) == ("stopped", investigator, "paused")
    assert stop.started_at == at(2026, 12, 3, 12)
    assert kinds(case.pk)[-2:] == [EventKind.CLOCK_STOP_APPROVED, EventKind.DEADLINE_PAUSED]
    approved = Event.objects.get(kind=EventKind.CLOCK_STOP_APPROVED)
    assert approved.actor_id == investigator.pk
    assert approved.payload["requested_by"] == case_officer.pk
    assert "Medical" not in str(approved.payload)  # reasons are hashed, not stored in clear
    with pytest.raises(DeadlineError, match=NOT_AWAITING):
        clock_stop_decline(actor=investigator, stop=stop, reasons="Changed my mind.")
    assert ledger_verify().ok


def test_only_the_roles_the_rulebook_names_decide(
    organisation, make_complaint, case_officer, governing_member
) -> None:
    colleague = make_user(organisation, "cai", Role.CASE_OFFICER)
    rulebook_publish(
        actor=None, organisation=organisation, definition=rules(approved_by=["oversight"])
    )
    case = make_complaint().cases.get()
    deadline = investigation(case)
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=case_officer, deadline=deadline, reasons="Asked.", restart_on=dt.date(2026, 12, 9)
        )
        for person in (colleague, governing_member):
            with pytest.raises(DeadlineError, match=NOT_A_DECIDER.format(who="oversight")):
                clock_stop_approve(actor=person, stop=stop, reasons="Yes.")
        oversight = make_user(organisation, "ola", Role.OVERSIGHT)
        clock_stop_approve(actor=oversight, stop=stop, reasons="Yes.")
    assert Deadline.objects.get(pk=deadline.pk).status == "paused"


def test_a_declined_pause_is_recorded_and_the_clock_runs_on(
    case, case_officer, investigator
) -> None:
    deadline = investigation(case)
    due = deadline.due_at
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=investigator, deadline=deadline, reasons="Busy.", restart_on=dt.date(2027, 1, 4)
        )
        clock_stop_decline(actor=case_officer, stop=stop, reasons="Not a reason to stop.")
    stop.refresh_from_db()
    deadline.refresh_from_db()
    assert (stop.status, stop.decided_by) == (ClockStop.Status.DECLINED, case_officer)
    assert (deadline.status, deadline.due_at) == ("open", due)
    declined = Event.objects.get(kind=EventKind.CLOCK_STOP_DECLINED)
    assert (declined.actor_id, declined.case_id) == (case_officer.pk, case.pk)
    assert declined.payload["clock_stop"] == stop.pk
    # Declined, it can be asked for again (with better reasons).
    with time_machine.travel(at(2026, 12, 3, 13), tick=False):
        again = deadline_pause(
            actor=investigator, deadline=deadline, reasons="Ill.", restart_on=dt.date(2026, 12, 9)
        )
        with pytest.raises(DeadlineError, match=ALREADY_ASKED):
            deadline_pause(
                actor=investigator,
                deadline=deadline,
                reasons="Ill.",
                restart_on=dt.date(2026, 12, 9),
            )
    assert again.awaiting


def test_without_approval_in_the_rulebook_the_clock_stops_at_once(case, case_officer) -> None:
    rulebook_publish(actor=None, organisation=case.organisation, definition=rules(approval=False))
    case.rulebook = case.organisation.rulebook_current
    case.save(update_fields=["rulebook"])
    deadline = investigation(case)
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=case_officer, deadline=deadline, reasons="Ill.", restart_on=dt.date(2026, 12, 9)
        )
    assert stop.status == ClockStop.Status.STOPPED and stop.decided_by is None
    assert Deadline.objects.get(pk=deadline.pk).status == "paused"
    assert EventKind.CLOCK_STOP_REQUESTED not in kinds(case.pk)


def test_a_pause_needs_reasons_and_a_restart_date_within_the_rulebook(case, case_officer) -> None:
    deadline = investigation(case)
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        for reasons, restart_on, message in [
            ("  ", dt.date(2026, 12, 9), STOP_NEEDS_REASONS),
            ("Ill.", None, RESTART_NEEDED),
            ("Ill.", dt.date(2026, 12, 3), RESTART_NOT_FUTURE),
            ("Ill.", dt.date(2027, 3, 4), "within 90 days: 3 March 2027 at the latest"),
        ]:
            with pytest.raises(DeadlineError, match=message):
                deadline_pause(
                    actor=case_officer, deadline=deadline, reasons=reasons, restart_on=restart_on
                )
        deadline_pause(
            actor=case_officer, deadline=deadline, reasons="Ill.", restart_on=dt.date(2027, 3, 3)
        )


def test_an_approval_after_the_restart_date_is_refused(case, case_officer, investigator) -> None:
    deadline = investigation(case)
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=case_officer, deadline=deadline, reasons="Ill.", restart_on=dt.date(2026, 12, 5)
        )
    with (
        time_machine.travel(at(2026, 12, 5, 9), tick=False),
        pytest.raises(DeadlineError, match=RESTART_PASSED),
    ):
        clock_stop_approve(actor=investigator, stop=stop, reasons="Late.")


# Restarting by itself, and escalating.


def test_the_sweep_restarts_the_clock_at_the_start_of_its_date(
    case, case_officer, investigator
) -> None:
    deadline = investigation(case)
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=case_officer, deadline=deadline, reasons="Ill.", restart_on=dt.date(2026, 12, 21)
        )
        clock_stop_approve(actor=investigator, stop=stop, reasons="Seen the note.")
    with time_machine.travel(at(2026, 12, 20, 23), tick=False):
        assert clock_stops_sweep().restarted == 0
    with time_machine.travel(at(2026, 12, 21, 15), tick=False):  # a late sweep
        first, second = clock_stops_sweep(), clock_stops_sweep()
    assert (first.restarted, second.restarted) == (1, 0)
    deadline.refresh_from_db()
    stop.refresh_from_db()
    # 7 working days were left (4-14 Dec); from the start of 21 Dec they run over Christmas.
    assert deadline.status == "open"
    assert deadline.due_at.astimezone(LONDON).date() == dt.date(2027, 1, 4)
    assert (stop.status, stop.ending) == (ClockStop.Status.ENDED, ClockStop.Ending.DATE)
    assert stop.ended_at == at(2026, 12, 21)
    assert stop.days_stopped() == pytest.approx(17.5)
    restarted = Event.objects.get(kind=EventKind.CLOCK_RESTARTED_ON_DATE)
    assert restarted.actor_id is None and restarted.payload["working_days_left"] == 7
    assert ledger_verify().ok


def test_staff_may_restart_the_clock_before_its_date(case, case_officer, investigator) -> None:
    deadline = investigation(case)
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=case_officer, deadline=deadline, reasons="Ill.", restart_on=dt.date(2026, 12, 21)
        )
        clock_stop_approve(actor=investigator, stop=stop, reasons="Seen the note.")
    with time_machine.travel(at(2026, 12, 7, 9), tick=False):
        deadline_resume(actor=case_officer, deadline=deadline, reasons="Back sooner.")
        assert clock_stops_sweep().restarted == 0
    stop.refresh_from_db()
    assert (stop.status, stop.ending, stop.ended_by) == ("ended", "staff", case_officer)
    resumed = Event.objects.get(kind=EventKind.DEADLINE_RESUMED)
    assert resumed.payload["clock_stop"] == stop.pk


def test_a_long_pause_is_escalated_once(case, case_officer, investigator) -> None:
    deadline = investigation(case)
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=case_officer, deadline=deadline, reasons="Ill.", restart_on=dt.date(2027, 2, 1)
        )
        clock_stop_approve(actor=investigator, stop=stop, reasons="Long illness.")
    with time_machine.travel(at(2027, 1, 2, 11), tick=False):
        assert clock_stops_sweep().escalated == 0
    with time_machine.travel(at(2027, 1, 2, 13), tick=False):  # 30 days on
        assert clock_stops_sweep().escalated == 1
        assert clock_stops_sweep().escalated == 0
    escalated = Event.objects.get(kind=EventKind.CLOCK_STOP_ESCALATED)
    assert (escalated.case_id, escalated.payload["days_stopped"]) == (case.pk, 30)
    stop.refresh_from_db()
    assert stop.escalated_at is not None and stop.status == "stopped"


def test_a_limit_that_ends_ends_its_stop_and_lapses_a_request(
    case, case_officer, investigator
) -> None:
    stopped, asked = investigation(case), investigation(case, "report")
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=case_officer, deadline=stopped, reasons="Ill.", restart_on=dt.date(2026, 12, 9)
        )
        clock_stop_approve(actor=investigator, stop=stop, reasons="Yes.")
        request = deadline_pause(
            actor=case_officer, deadline=asked, reasons="Ill.", restart_on=dt.date(2026, 12, 9)
        )
    with time_machine.travel(at(2026, 12, 4, 12), tick=False):
        for deadline in (stopped, asked):
            deadline_close(actor=case_officer, deadline=deadline, at=at(2026, 12, 4, 12))
    stop.refresh_from_db()
    request.refresh_from_db()
    assert (stop.status, stop.ending) == ("ended", "closed")
    assert request.status == ClockStop.Status.LAPSED


# The rulebook setting.


def test_the_default_rulebook_asks_for_approval() -> None:
    spec = RulebookSpec(DEFAULT_RULEBOOK)
    assert spec.clock_stops.approval is True
    assert (spec.clock_stops.max_days, spec.clock_stops.escalate_after_days) == (90, 30)
    without = copy.deepcopy(DEFAULT_RULEBOOK)
    del without["clock_stops"]
    assert RulebookSpec(without).clock_stops.approval is False


@pytest.mark.parametrize(
    "setting",
    [
        {"max_days": 0},
        {"escalate_after_days": 0},
        {"approved_by": []},
        {"approved_by": ["panel_member"]},
    ],
)
def test_a_rulebook_with_unworkable_clock_stops_is_refused(setting: dict) -> None:
    with pytest.raises(RulebookError, match="clock_stops"):
        RulebookSpec(rules(**setting))


def test_the_rulebook_names_only_roles_that_can_reach_a_case_to_decide() -> None:
    assert set(STOP_DECIDERS) == CLOCK_STOP_DECIDERS
