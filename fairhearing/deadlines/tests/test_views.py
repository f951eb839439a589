import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fairhearing.cases.models import Assignment
from fairhearing.conftest import signed_in
from fairhearing.deadlines.clock_stops import deadline_pause
from fairhearing.deadlines.models import ClockStop, Deadline
from fairhearing.ledger.models import Event, EventKind
from fairhearing.oversight.models import AccessAttempt
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db


def test_a_case_officer_asks_a_colleague_approves_and_the_officer_restarts(
    case, case_officer, investigator
) -> None:
    for user, role in [(case_officer, "case_officer"), (investigator, "investigator")]:
        case_assign(actor=case_officer, case=case, user=user, role=Assignment.Role(role))
    deadline = case.deadlines.get()
    client = signed_in(case_officer)
    pause = reverse("cases:deadlines:pause", args=[case.reference, deadline.pk])
    page = client.get(pause).content.decode()
    assert "You cannot approve your own request." in page and 'type="date"' in page
    restart_on = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = client.post(
        pause, {"reasons": "Complainant asked for time.", "restart_on": restart_on}
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.OPEN  # asked for, not yet approved
    stop = ClockStop.objects.get(deadline=deadline)
    approve = reverse("cases:deadlines:stop_approve", args=[case.reference, stop.pk])
    # The case page offers the decision to a colleague, not to whoever asked.
    detail = reverse("cases:detail", args=[case.reference])
    assert approve not in client.get(detail).content.decode()
    colleague = signed_in(investigator)
    assert approve in colleague.get(detail).content.decode()
    # Whoever asked is refused, and the refusal is recorded.
    assert client.post(approve, {"reasons": "Mine."}).status_code == 403
    assert AccessAttempt.objects.filter(user=case_officer).count() == 1
    assert colleague.post(approve, {"reasons": "Agreed."}).status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.PAUSED
    assert "Restarts by itself on" in client.get(detail).content.decode()
    resume = reverse("cases:deadlines:resume", args=[case.reference, deadline.pk])
    assert client.post(resume, {"reasons": "Reply in."}).status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.OPEN


def test_a_colleague_declines_a_pause_with_reasons(case, case_officer, investigator) -> None:
    deadline = case.deadlines.get()
    restart_on = timezone.localdate() + dt.timedelta(days=5)
    stop = deadline_pause(
        actor=investigator, deadline=deadline, reasons="Busy.", restart_on=restart_on
    )
    decline = reverse("cases:deadlines:stop_decline", args=[case.reference, stop.pk])
    client = signed_in(case_officer)
    page = client.get(decline).content.decode()
    assert "Decline the pause" in page and "Busy." in page
    response = client.post(decline, {"reasons": ""})
    assert response.status_code == 400
    assert "Give the reasons for your decision." in response.content.decode()
    assert client.post(decline, {"reasons": "Not a reason."}).status_code == 302
    stop.refresh_from_db()
    assert stop.status == ClockStop.Status.DECLINED
    assert Event.objects.filter(kind=EventKind.CLOCK_STOP_DECLINED, case_id=case.pk).count() == 1


def test_a_restart_date_outside_the_rulebook_is_refused_on_the_form(case, case_officer) -> None:
    deadline = case.deadlines.get()
    url = reverse("cases:deadlines:pause", args=[case.reference, deadline.pk])
    too_late = (timezone.localdate() + dt.timedelta(days=91)).isoformat()
    response = signed_in(case_officer).post(url, {"reasons": "Ill.", "restart_on": too_late})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The restart date must be" in page and "restart_on" not in page.split("<form")[0]
    assert not ClockStop.objects.exists()


def test_pausing_without_reasons_is_refused(case, case_officer) -> None:
    deadline = case.deadlines.get()
    url = reverse("cases:deadlines:pause", args=[case.reference, deadline.pk])
    response = signed_in(case_officer).post(url, {"reasons": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the reasons for stopping the clock." in page
    assert "Enter the restart date." in page
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.OPEN


def test_a_deadline_of_another_case_is_not_reachable(make_complaint, case_officer) -> None:
    mine = make_complaint().cases.get()
    other = make_complaint().cases.get()
    url = reverse("cases:deadlines:pause", args=[mine.reference, other.deadlines.get().pk])
    assert signed_in(case_officer).post(url, {"reasons": "x"}).status_code == 404


def test_outsiders_are_refused_and_recorded(case, governing_member) -> None:
    url = reverse("cases:deadlines:pause", args=[case.reference, case.deadlines.get().pk])
    assert signed_in(governing_member).post(url, {"reasons": "x"}).status_code == 404
    assert Event.objects.filter(kind=EventKind.ACCESS_REFUSED, case_id=case.pk).count() == 1
    assert case.deadlines.get().status == Deadline.Status.OPEN
