import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from fairhearing.cases.models import Assignment
from fairhearing.deadlines.clock_stops import (
    STOP_NEEDS_REASONS,
    clock_stop_approve,
    deadline_pause,
)
from fairhearing.deadlines.models import Deadline
from fairhearing.deadlines.services import (
    NOT_PAUSED,
    DeadlineError,
    deadline_resume,
    deadline_sweep,
)
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def kinds(case_id: int) -> list[int]:
    return list(
        Event.objects.filter(case_id=case_id).order_by("seq").values_list("kind", flat=True)
    )


def test_a_new_case_gets_the_acknowledgement_limit(make_complaint) -> None:
    with time_machine.travel(at(2026, 11, 27, 10), tick=False):  # a Friday
        case = make_complaint().cases.get()
    deadline = case.deadlines.get()
    assert (deadline.kind, deadline.working_days, deadline.status) == ("acknowledge", 3, "open")
    assert deadline.due_at.astimezone(LONDON).date() == dt.date(2026, 12, 2)
    assert EventKind.DEADLINE_OPENED in kinds(case.pk)


def test_pause_and_resume_keep_the_working_days_that_were_left(
    case, case_officer, investigator
) -> None:
    with time_machine.travel(at(2026, 11, 30, 9), tick=False):
        deadline = Deadline.objects.create(
            case=case,
            kind="investigation",
            label="Investigate",
            binds="organisation",
            working_days=10,
            started_at=at(2026, 11, 30, 9),
            due_at=at(2026, 12, 14, 23, 59),
        )
    with time_machine.travel(at(2026, 12, 3, 12), tick=False):
        stop = deadline_pause(
            actor=case_officer,
            deadline=deadline,
            reasons="Respondent in hospital.",
            restart_on=dt.date(2027, 1, 29),
        )
        clock_stop_approve(actor=investigator, stop=stop, reasons="Medical note seen.")
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.PAUSED
    with time_machine.travel(at(2026, 12, 21, 10), tick=False):
        deadline_resume(actor=case_officer, deadline=deadline, reasons="Respondent recovered.")
    deadline.refresh_from_db()
    # 7 working days were left (4-14 Dec); from 21 Dec they run over Christmas and New Year.
    assert deadline.status == Deadline.Status.OPEN
    assert deadline.due_at.astimezone(LONDON).date() == dt.date(2027, 1, 4)
    assert kinds(case.pk)[-2:] == [EventKind.DEADLINE_PAUSED, EventKind.DEADLINE_RESUMED]
    resumed = Event.objects.filter(kind=EventKind.DEADLINE_RESUMED).get()
    assert resumed.payload["working_days_left"] == 7
    assert "Respondent" not in str(resumed.payload)  # reasons are hashed, not stored in clear


def test_pausing_needs_reasons_and_resuming_needs_a_pause(case, case_officer) -> None:
    deadline = case.deadlines.get()
    with pytest.raises(DeadlineError, match=STOP_NEEDS_REASONS):
        deadline_pause(
            actor=case_officer, deadline=deadline, reasons="  ", restart_on=dt.date(2027, 1, 4)
        )
    with pytest.raises(DeadlineError, match=NOT_PAUSED):
        deadline_resume(actor=case_officer, deadline=deadline, reasons="x")


def test_a_breach_is_recorded_once_however_often_the_sweep_runs(make_complaint) -> None:
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        case = make_complaint().cases.get()
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        first = deadline_sweep()
        second = deadline_sweep()
    assert (first.breaches, second.breaches) == (1, 0)
    assert case.deadlines.get().lapsed_at is not None
    assert kinds(case.pk).count(EventKind.DEADLINE_BREACHED) == 1
    assert ledger_verify().ok


def test_reminders_go_to_the_case_team_at_50_75_and_90_percent(
    make_complaint, case_officer
) -> None:
    with time_machine.travel(at(2026, 11, 23, 0, 0, 1), tick=False):  # Monday; due Thu 26 23:59
        case = make_complaint().cases.get()
        case_assign(
            actor=case_officer, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER
        )
    sent = []
    for moment in [
        at(2026, 11, 24, 12),
        at(2026, 11, 25, 12),
        at(2026, 11, 25, 13),
        at(2026, 11, 26, 12),
        at(2026, 11, 26, 16),
    ]:
        with time_machine.travel(moment, tick=False):
            sent.append(deadline_sweep().reminders)
    assert sent == [0, 1, 0, 1, 1]  # 50% on Wed 12:00, 75% on Thu 12:00, 90% by Thu 16:00
    assert [m.to for m in mail.outbox] == [[case_officer.email]] * 3
    assert "50%" in mail.outbox[0].subject and case.reference in mail.outbox[0].subject
    assert "90%" in mail.outbox[2].subject
    first = mail.outbox[0]
    assert isinstance(first, mail.EmailMultiAlternatives)
    html = first.alternatives[0]
    assert html[1] == "text/html" and case.reference in str(html[0])
    events = Event.objects.filter(case_id=case.pk, kind=EventKind.REMINDER_SENT)
    assert [e.payload["percent"] for e in events.order_by("seq")] == [50, 75, 90]
    # Each reminder's Message-ID says which it is: sent again after a crash, it is one message.
    deadline = events.order_by("seq")[0].payload["deadline"]
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<reminder.{deadline}.{percent}@127.0.0.1>" for percent in (50, 75, 90)
    ]
