import pytest
from django.urls import reverse

from fairhearing.conftest import signed_in
from fairhearing.deadlines.models import Deadline
from fairhearing.ledger.models import Event, EventKind

pytestmark = pytest.mark.django_db


def test_a_case_officer_pauses_and_restarts_the_clock(case, case_officer) -> None:
    deadline = case.deadlines.get()
    client = signed_in(case_officer)
    pause = reverse("cases:deadlines:pause", args=[case.reference, deadline.pk])
    assert client.post(pause, {"reasons": "Complainant asked for time."}).status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.PAUSED
    resume = reverse("cases:deadlines:resume", args=[case.reference, deadline.pk])
    assert client.post(resume, {"reasons": "Reply in."}).status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.OPEN


def test_pausing_without_reasons_is_refused(case, case_officer) -> None:
    deadline = case.deadlines.get()
    url = reverse("cases:deadlines:pause", args=[case.reference, deadline.pk])
    response = signed_in(case_officer).post(url, {"reasons": ""})
    assert response.status_code == 400
    assert "Give the reasons." in response.content.decode()
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
