"""The case list as the officer's queue: landing, queue links with their counts, the columns,
and the filters shown as tags that each remove one filter."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.caselist import queries, views
from fairhearing.cases.models import Assignment
from fairhearing.conftest import make_user, signed_in, walk
from fairhearing.deadlines.models import Deadline
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html))).strip()


def current_queue(page: str) -> str:
    match = re.search(r'aria-current="page">(.*?)</a>', page)
    return re.sub(r" \(.*\)$", "", text(match.group(1))) if match else ""  # without the count


def queue_links(page: str) -> dict[str, str]:
    """Each queue's name and address, as the sub-navigation gives them."""
    nav = page[page.index('aria-label="Queues"') :]
    nav = nav[: nav.index("</nav>")]
    link = r'<a class="moj-sub-navigation__link" href="([^"]+)"[^>]*>(.*?)</a>'
    return {text(name): unescape(href) for href, name in re.findall(link, nav)}


def tag_links(page: str) -> dict[str, str]:
    return {
        re.sub(r"\s+", " ", unescape(label)).strip(): unescape(href)
        for href, label in re.findall(
            r'<a class="moj-filter__tag" href="([^"]+)"><span class="govuk-visually-hidden">'
            r"Remove this filter:</span>([^<]+)</a>",
            page,
        )
    }


def assign(case, user) -> None:
    case_assign(actor=None, case=case, user=user, role=Assignment.Role.CASE_OFFICER)


class TestLanding:
    def test_an_officer_with_open_cases_of_their_own_lands_on_them(
        self, make_complaint, case_officer
    ) -> None:
        mine, untriaged = (make_complaint().cases.get() for _ in range(2))
        assign(mine, case_officer)
        client = signed_in(case_officer)
        home = client.get(reverse("accounts:home"))  # where signing in goes
        page = client.get(home["Location"]).content.decode()
        assert current_queue(page) == "Assigned to me"
        assert mine.reference in page and untriaged.reference not in page
        # Asked for, every other queue is there.
        page = client.get(LIST, {"queue": "all"}).content.decode()
        assert current_queue(page) == "All cases" and untriaged.reference in page

    def test_an_officer_with_no_open_case_of_their_own_lands_on_all_cases(
        self, make_complaint, case_officer
    ) -> None:
        closed, untriaged = (make_complaint().cases.get() for _ in range(2))
        assign(closed, case_officer)
        walk(closed, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
        page = signed_in(case_officer).get(LIST).content.decode()
        assert current_queue(page) == "All cases"
        assert closed.reference in page and untriaged.reference in page

    def test_an_investigator_lands_on_their_cases_and_oversight_on_all(
        self, make_complaint, investigator, organisation
    ) -> None:
        case = make_complaint().cases.get()
        case_assign(actor=None, case=case, user=investigator, role=Assignment.Role.INVESTIGATOR)
        assert current_queue(signed_in(investigator).get(LIST).content.decode()) == (
            "Assigned to me"
        )
        reader = make_user(organisation, "olu", Role.OVERSIGHT)
        assert current_queue(signed_in(reader).get(LIST).content.decode()) == "All cases"

    def test_parameters_without_a_queue_mean_all_cases(self, make_complaint, case_officer) -> None:
        mine, untriaged = (make_complaint().cases.get() for _ in range(2))
        assign(mine, case_officer)
        page = signed_in(case_officer).get(LIST, {"stage": "received"}).content.decode()
        assert current_queue(page) == "All cases" and untriaged.reference in page


class TestQueueLinks:
    def test_each_queue_shows_its_count_and_keeps_the_filters_but_not_a_search(
        self, make_complaint, case_officer
    ) -> None:
        mine, other = (make_complaint().cases.get() for _ in range(2))
        assign(mine, case_officer)
        mine.deadlines.update(due_at=timezone.now() - dt.timedelta(days=2))
        client = signed_in(case_officer)
        page = client.get(LIST, {"queue": "overdue", "stage": "received"}).content.decode()
        links = queue_links(page)
        assert list(links) == [
            "Assigned to me (1)",
            "Awaiting me (1)",
            "Due this week (1)",
            "Overdue (1)",
            "Unassigned (1)",
            "All cases (2)",
        ]
        assert links["Unassigned (1)"] == f"{LIST}?queue=unassigned&stage=received"
        assert current_queue(page) == "Overdue"
        assert mine.reference in page and other.reference not in page
        # A search from a queue looks through every case, and says so.
        page = client.get(LIST, {"queue": "overdue", "search": other.reference}).content.decode()
        assert other.reference in page
        assert "This search looks through every case you can see, not only “Overdue”." in page
        assert queue_links(page)["Overdue (1)"] == f"{LIST}?queue=overdue"

    def test_counts_past_the_cap_are_shown_as_more(
        self, make_complaint, case_officer, monkeypatch
    ) -> None:
        for _ in range(3):
            make_complaint()
        monkeypatch.setattr(queries, "COUNT_CAP", 2)
        monkeypatch.setattr(views, "COUNT_CAP", 2)
        page = signed_in(case_officer).get(LIST).content.decode()
        assert "All cases (2+)" in queue_links(page)
        monkeypatch.setattr(queries, "COUNT_CAP", 1_000)
        monkeypatch.setattr(views, "COUNT_CAP", 1_000)
        page = signed_in(case_officer).get(LIST).content.decode()
        assert "All cases (3)" in queue_links(page)


class TestFilterTags:
    def test_each_tag_removes_its_own_filter_and_keeps_the_rest(
        self, make_complaint, case_officer
    ) -> None:
        make_complaint()
        query = {
            "queue": "unassigned",
            "stage": "received",
            "category": "bullying",
            "overdue": "on",
        }
        page = signed_in(case_officer).get(LIST, query).content.decode()
        assert tag_links(page) == {
            "Stage: Received": f"{LIST}?queue=unassigned&category=bullying&overdue=on",
            "Category: Bullying or harassment": (
                f"{LIST}?queue=unassigned&stage=received&overdue=on"
            ),
            "Only overdue cases": f"{LIST}?queue=unassigned&stage=received&category=bullying",
        }
        assert f'href="{LIST}?queue=unassigned">Clear filters' in page
        assert '<details class="govuk-details" id="filter-details" open>' in page

    def test_no_filter_no_tag_and_the_filters_stay_folded(self, case, case_officer) -> None:
        page = signed_in(case_officer).get(LIST).content.decode()
        assert tag_links(page) == {} and "Clear filters" not in page
        assert '<details class="govuk-details" id="filter-details">' in page

    def test_a_filter_that_is_not_valid_is_not_a_tag(self, case, case_officer) -> None:
        page = signed_in(case_officer).get(LIST, {"stage": "no_such_stage"}).content.decode()
        assert tag_links(page) == {}


class TestColumns:
    def test_assigned_to_and_days_overdue(
        self, make_complaint, case_officer, investigator, organisation
    ) -> None:
        team, untriaged = (make_complaint().cases.get() for _ in range(2))
        assign(team, case_officer)
        case_assign(actor=None, case=team, user=investigator, role=Assignment.Role.INVESTIGATOR)
        leaver = make_user(organisation, "lee", Role.CASE_OFFICER, is_active=False)
        assign(team, leaver)
        now = timezone.now()
        team.deadlines.update(due_at=now - dt.timedelta(days=3, hours=1))
        Deadline.objects.create(
            case=team,
            kind="review",
            label="Review",
            binds=Deadline.Binds.ORGANISATION,
            working_days=1,
            due_at=now - dt.timedelta(days=1),
            stage_bound=False,
        )
        untriaged.deadlines.update(due_at=now + dt.timedelta(days=3))
        page = signed_in(case_officer).get(LIST, {"queue": "all"}).content.decode()
        rows = {
            ref: row
            for row in page.split('<tr class="govuk-table__row">')[2:]
            for ref in re.findall(r">(FH-\d{4}-\d+)</a>", row)
        }
        assert '<th scope="col" class="govuk-table__header">Assigned to</th>' in page
        assert '<th scope="col" class="govuk-table__header">Days overdue</th>' in page
        names = re.findall(r'data-testid="assigned-to">([^<]+)<', rows[team.reference])
        assert names == [f"{case_officer.display_name}, {investigator.display_name}"]  # no leaver
        # From the earliest overdue limit: 3 days, not the review's 1.
        assert re.search(r'data-testid="days-overdue">.*?>(3 days)<', rows[team.reference])
        assert "Nobody yet" in rows[untriaged.reference]
        assert re.search(r'data-testid="days-overdue"></td>', rows[untriaged.reference])

    def test_a_respondents_lapsed_window_is_not_overdue(self, case, case_officer) -> None:
        case.deadlines.update(
            due_at=timezone.now() - dt.timedelta(days=5), binds=Deadline.Binds.RESPONDENT
        )
        page = signed_in(case_officer).get(LIST).content.decode()
        assert re.search(r'data-testid="days-overdue"></td>', page)
