"""The case list's sortable headings and the saved views, through the pages."""

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.caselist.models import SavedView
from fairhearing.caselist.queries import SAVED_VIEWS_MAX, saved_query_clean
from fairhearing.caselist.services import (
    NAME_NEEDED,
    NOT_YOURS,
    SAVED_VIEWS_FULL,
    saved_view_delete,
    saved_view_save,
)
from fairhearing.cases.models import Assignment
from fairhearing.conftest import make_user, signed_in
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.models import Deadline
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list")
SAVED = reverse("caselist:saved_views")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html))).strip()


def headings(page: str) -> dict[str, tuple[str, str]]:
    """Each heading of the table: its aria-sort (blank when not sortable) and link."""
    head = page[page.index("<thead") : page.index("</thead>")]
    found = {}
    for attributes, inner in re.findall(r"<th ([^>]*)>(.*?)</th>", head, flags=re.S):
        sort = re.search(r'aria-sort="(\w+)"', attributes)
        link = re.search(r'href="([^"]+)"', inner)
        label = text(re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", inner))
        found[label.rstrip("▲▼⇅")] = (
            sort.group(1) if sort else "",
            unescape(link.group(1)) if link else "",
        )
    return found


def params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def rows(page: str) -> list[str]:
    return re.findall(r'href="/cases/([A-Z]+-\d{4}-\d+)/"', page)


@pytest.fixture
def mine(make_complaint, case_officer):
    """Three of the officer's cases, due in 5 days, in 1 day and 3 days overdue."""
    now = timezone.now()
    made = []
    for days in (5, 1, -3):
        case = make_complaint().cases.get()
        case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
        case.deadlines.filter(status=Deadline.Status.OPEN).update(
            due_at=now + dt.timedelta(days=days), binds=Deadline.Binds.ORGANISATION
        )
        made.append(case.reference)
    return made


class TestSortableHeadings:
    def test_the_headings_link_to_the_list_sorted_by_them(self, mine, case_officer) -> None:
        client = signed_in(case_officer)
        page = client.get(LIST, {"queue": "mine", "stage": "received"}).content.decode()
        columns = headings(page)
        # Newest first by default; the respondent and the team are never sortable.
        assert columns["Opened"][0] == "descending"
        assert columns["Respondent"] == ("", "") and columns["Assigned to"] == ("", "")
        assert columns["Next due"][0] == "none"
        link = params(columns["Next due"][1])
        assert link == {"queue": "mine", "stage": "received", "sort": "next_due"}
        assert "Next due: sort soonest first" in text(page)

        page = client.get(columns["Next due"][1]).content.decode()
        assert rows(page) == [mine[2], mine[1], mine[0]]
        columns = headings(page)
        assert columns["Next due"][0] == "ascending" and columns["Opened"][0] == "none"
        assert params(columns["Next due"][1])["sort"] == "-next_due"  # the reverse
        assert "Assigned to me, by next due, soonest first" in page  # the table's caption
        # The queues, the filters' form and the pages keep the order.
        assert "sort=next_due" in page[page.index('aria-label="Queues"') :]
        assert 'name="sort" value="next_due"' in page

        page = client.get(LIST, {"queue": "mine", "sort": "-next_due"}).content.decode()
        assert rows(page) == mine and headings(page)["Next due"][0] == "descending"

    def test_where_a_sort_is_not_offered_the_list_says_so(self, mine, case_officer) -> None:
        page = signed_in(case_officer).get(LIST, {"queue": "all", "sort": "next_due"})
        html = page.content.decode()
        assert page.status_code == 200
        columns = headings(html)
        assert columns["Next due"] == ("", "") and columns["Stage"] == ("", "")
        assert columns["Reference"][0] == "none" and columns["Opened"][0] == "descending"
        assert "sorting by next due is offered within" in text(html)
        assert rows(html) == mine[::-1]  # newest first
        # An unknown order is no order at all, and nothing to say.
        html = signed_in(case_officer).get(LIST, {"sort": "respondent"}).content.decode()
        assert "sort-not-offered" not in html


class TestSavedViews:
    def test_an_officer_saves_the_list_and_finds_it_above_the_list(
        self, mine, case_officer
    ) -> None:
        client = signed_in(case_officer)
        html = client.get(LIST, {"queue": "mine", "sort": "next_due"}).content.decode()
        found = re.search(r'href="([^"]+)">Save this list as a view', html)
        assert found is not None
        save = unescape(found.group(1))
        assert params(save) == {"queue": "mine", "sort": "next_due"}
        form = client.get(save).content.decode()
        assert "Assigned to me" in text(form) and "By next due, soonest first" in text(form)
        response = client.post(SAVED, {"name": " Due  soon ", "query": "queue=mine&sort=next_due"})
        assert response.status_code == 302
        assert params(response["Location"]) == {"queue": "mine", "sort": "next_due"}
        view = SavedView.objects.get(user=case_officer)
        assert (view.name, view.query) == ("Due soon", "queue=mine&sort=next_due")
        html = client.get(response["Location"]).content.decode()
        assert "Saved the view “Due soon”" in html
        link = re.search(r'<a class="govuk-link" href="([^"]+)" aria-current="true">Due soon', html)
        assert link and params(unescape(link.group(1))) == {"queue": "mine", "sort": "next_due"}

    def test_the_same_name_replaces_the_view_and_a_blank_one_is_an_error(
        self, case_officer
    ) -> None:
        client = signed_in(case_officer)
        client.post(SAVED, {"name": "Mine", "query": "queue=mine"})
        client.post(SAVED, {"name": "Mine", "query": "queue=overdue&sort=-days_overdue"})
        assert list(SavedView.objects.values_list("name", "query")) == [
            ("Mine", "queue=overdue&sort=-days_overdue")
        ]
        response = client.post(SAVED, {"name": "  ", "query": "queue=mine"})
        assert response.status_code == 400
        assert "govuk-error-summary" in response.content.decode()
        assert SavedView.objects.count() == 1

    def test_a_view_is_deleted_by_its_owner_only(self, case_officer, organisation) -> None:
        colleague = make_user(organisation, "marcus", Role.CASE_OFFICER)
        theirs, _ = saved_view_save(actor=colleague, name="Theirs", query="queue=mine")
        mine, _ = saved_view_save(actor=case_officer, name="Mine", query="queue=mine")
        client = signed_in(case_officer)
        delete = reverse("caselist:saved_view_delete", args=[theirs.pk])
        assert client.post(delete).status_code == 404
        assert client.get(reverse("caselist:saved_view_delete", args=[mine.pk])).status_code == 405
        page = client.get(SAVED).content.decode()
        assert "Mine" in page and "Theirs" not in page
        response = client.post(
            reverse("caselist:saved_view_delete", args=[mine.pk]), {"query": "queue=overdue"}
        )
        assert response["Location"] == f"{SAVED}?queue=overdue"
        assert list(SavedView.objects.values_list("name", flat=True)) == ["Theirs"]
        with pytest.raises(CaseError, match=NOT_YOURS):
            saved_view_delete(actor=case_officer, saved_view=theirs)

    def test_roles_without_the_case_list_have_no_saved_views(self, organisation) -> None:
        governing = make_user(organisation, "gwen", Role.GOVERNING_BODY)
        assert signed_in(governing).get(SAVED).status_code == 403


class TestSavedViewService:
    def test_only_the_lists_own_parameters_are_kept(self, case_officer) -> None:
        view, created = saved_view_save(
            actor=case_officer,
            name="Odd",
            query=(
                "page=4&search=Rowan+Ashby&sort=-opened&sort=stage&queue=nowhere&queue=overdue"
                "&stage=assessment&evil=1&overdue=on&category=" + "x" * 61
            ),
        )
        # The first known queue and sort; never a search nor a page; no value over 60.
        assert created and view.query == "queue=overdue&stage=assessment&overdue=on&sort=stage"
        assert saved_query_clean("sort=respondent&queue=all") == "queue=all"
        assert saved_query_clean("sort=-stage") == "sort=-stage"

    def test_a_user_keeps_at_most_twenty(self, case_officer) -> None:
        for n in range(SAVED_VIEWS_MAX):
            saved_view_save(actor=case_officer, name=f"View {n}", query="queue=mine")
        with pytest.raises(CaseError, match=SAVED_VIEWS_FULL):
            saved_view_save(actor=case_officer, name="One more", query="queue=mine")
        # Replacing one is not one more.
        saved_view_save(actor=case_officer, name="View 3", query="queue=overdue")
        with pytest.raises(CaseError, match=NAME_NEEDED):
            saved_view_save(actor=case_officer, name=" ", query="")
        assert SavedView.objects.count() == SAVED_VIEWS_MAX
