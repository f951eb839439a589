"""The case list on the API: `queue` and `sort` as the page has them, unknown values and orders
not offered refused in the API's one error shape, and every sorted page reached by cursor."""

import datetime as dt
from typing import get_args

import pytest
from django.utils import timezone

from fairhearing.api.tests.test_api import api_for, assert_error
from fairhearing.caselist.queries import QUEUES, SAVED_PARAMS, SORT_VALUES
from fairhearing.cases.api import QueueName, SortName
from fairhearing.cases.forms import CaseFilterForm
from fairhearing.cases.models import Assignment
from fairhearing.deadlines.models import Deadline
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db


def walk_pages(api, **params) -> list[dict]:
    seen, cursor = [], None
    while True:
        body = api.get("/cases", limit=2, **params, **({"cursor": cursor} if cursor else {}))
        assert body.status_code == 200, body.content
        body = body.json()
        seen += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return seen


@pytest.fixture
def office(make_complaint, case_officer):
    """Five of the officer's cases: overdue by 9 and 2 days, due in 3 days (two of them) and
    one with no running limit; and an untriaged case 4 days overdue."""
    now = timezone.now()
    made = {}
    for name, days in {"o9": -9, "o2": -2, "d3": 3, "d3b": 3, "none": None, "u4": -4}.items():
        case = make_complaint().cases.get()
        if name != "u4":
            case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
        running = case.deadlines.filter(status=Deadline.Status.OPEN)
        if days is None:
            running.update(status=Deadline.Status.CLOSED, closed_at=now)
        else:
            running.update(due_at=now + dt.timedelta(days=days), binds=Deadline.Binds.ORGANISATION)
        made[name] = case.reference
    return made


def test_queue_and_sort_as_the_page_has_them(office, case_officer) -> None:
    api = api_for(case_officer)
    by_due = walk_pages(api, queue="mine", sort="next_due")
    references = [item["reference"] for item in by_due]
    o = office
    assert references[:2] == [o["o9"], o["o2"]] and references[-1] == o["none"]
    assert set(references[2:4]) == {o["d3"], o["d3b"]}  # the same instant: newest first
    assert by_due[0]["overdue"] and by_due[0]["overdue_since"] and not by_due[-1]["next_due_at"]
    reversed_ = [item["reference"] for item in walk_pages(api, queue="mine", sort="-next_due")]
    assert reversed_ == references[::-1]
    most_overdue = walk_pages(api, queue="overdue", sort="-days_overdue")
    assert [item["reference"] for item in most_overdue] == [o["o9"], o["u4"], o["o2"]]
    assert [
        item["reference"] for item in walk_pages(api, queue="overdue", sort="days_overdue")
    ] == [
        o["o2"],
        o["u4"],
        o["o9"],
    ]
    everything = walk_pages(api, sort="reference")
    assert [item["reference"] for item in everything] == sorted(o.values())
    assert len(walk_pages(api)) == 6  # "all", newest first, as before


def test_unknown_values_and_orders_not_offered_are_refused(office, case_officer) -> None:
    api = api_for(case_officer)
    error = assert_error(api.get("/cases", queue="everything"), 422, "validation_error")
    assert list(error["fields"]) == ["query.queue"]
    error = assert_error(api.get("/cases", sort="respondent"), 422, "validation_error")
    assert list(error["fields"]) == ["query.sort"]
    # Known, but not served there: refused, saying where it is.
    error = assert_error(api.get("/cases", sort="next_due"), 409, "refused")
    assert error["message"].startswith(
        "The list sorts by next due only within the queues mine, awaiting_me, due_this_week,"
    )
    error = assert_error(api.get("/cases", sort="-days_overdue"), 409, "refused")
    assert "mine, awaiting_me, due_this_week, overdue," in error["fields"]["sort"][0]
    searching = api.get("/cases", queue="mine", sort="stage", search=office["o9"])
    assert_error(searching, 409, "refused")
    # A cursor from one order is no cursor for another.
    cursor = api.get("/cases", queue="mine", sort="next_due", limit=1).json()["next_cursor"]
    assert_error(api.get("/cases", sort="reference", cursor=cursor), 404, "bad_cursor")


def test_the_api_and_the_saved_views_know_the_pages_parameters() -> None:
    assert get_args(QueueName) == tuple(QUEUES)
    assert get_args(SortName) == SORT_VALUES
    # A saved view keeps every parameter of the list but the search (and the page).
    assert set(SAVED_PARAMS) == {"queue", "sort", *CaseFilterForm.base_fields} - {"search"}
