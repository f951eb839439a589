import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from fairhearing.accounts.models import Role
from fairhearing.cases.access import NOT_FOUND
from fairhearing.cases.models import Assignment, Case
from fairhearing.cases.services import NEEDS_REASONS
from fairhearing.cases.tests.test_transitions import PATHS, reach
from fairhearing.conftest import PASSWORD, make_user, signed_in, walk
from fairhearing.demo.panels import panel_ready_for
from fairhearing.ledger.models import Event, EventKind
from fairhearing.people.models import Person
from fairhearing.workflow.services import case_assign, hearing_earliest

pytestmark = pytest.mark.django_db


def refusals(case: Case) -> int:
    return Event.objects.filter(kind=EventKind.ACCESS_REFUSED, case_id=case.pk).count()


class TestCaseList:
    def test_it_requires_sign_in(self, client: Client) -> None:
        response = client.get(reverse("cases:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_it_lists_cases_with_their_stage(self, case, case_officer) -> None:
        response = signed_in(case_officer).get(reverse("cases:list"))
        assert response.status_code == 200
        assert case.reference in response.content.decode()
        assert "Received" in response.content.decode()

    def test_it_filters_by_stage_category_and_reference(self, make_complaint, case_officer) -> None:
        racism = make_complaint(category="racism").cases.get()
        bullying = make_complaint(category="bullying").cases.get()
        walk(bullying, case_officer, "acknowledge")
        client = signed_in(case_officer)
        page = client.get(reverse("cases:list"), {"category": "racism"}).content.decode()
        assert racism.reference in page and bullying.reference not in page
        page = client.get(reverse("cases:list"), {"stage": "acknowledged"}).content.decode()
        assert bullying.reference in page and racism.reference not in page
        page = client.get(
            reverse("cases:list"), {"search": racism.reference.lower()}
        ).content.decode()
        assert racism.reference in page and bullying.reference not in page
        complaint_ref = bullying.complaints.get().reference
        page = client.get(reverse("cases:list"), {"search": complaint_ref}).content.decode()
        assert bullying.reference in page and racism.reference not in page

    def test_it_filters_by_assignee_and_overdue(self, make_complaint, case_officer) -> None:
        mine = make_complaint().cases.get()
        other = make_complaint().cases.get()
        case_assign(
            actor=case_officer, case=mine, user=case_officer, role=Assignment.Role.CASE_OFFICER
        )
        client = signed_in(case_officer)
        page = client.get(reverse("cases:list"), {"assignee": case_officer.pk}).content.decode()
        assert mine.reference in page and other.reference not in page
        page = client.get(reverse("cases:list"), {"assignee": "unassigned"}).content.decode()
        assert other.reference in page and mine.reference not in page
        other.deadlines.update(due_at=other.opened_at)  # the acknowledgement limit has passed
        page = client.get(reverse("cases:list"), {"overdue": "on"}).content.decode()
        assert other.reference in page and mine.reference not in page

    def test_a_long_list_is_counted_only_up_to_the_cap(
        self, make_complaint, case_officer, monkeypatch
    ) -> None:
        from fairhearing.caselist import views
        from fairhearing.core import pagination

        for _ in range(5):
            make_complaint()
        monkeypatch.setattr(views, "PAGE_SIZE", 2)
        client = signed_in(case_officer)
        monkeypatch.setattr(pagination, "CAP", 10)
        page = client.get(reverse("cases:list")).content.decode()
        assert "5 cases" in page and "Page 1 of 3" in page
        monkeypatch.setattr(pagination, "CAP", 3)
        page = client.get(reverse("cases:list")).content.decode()
        assert "More than 3 cases" in page and "Page 1 of more than 2" in page
        # The rows past the cap are still there, page by page.
        page = client.get(reverse("cases:list"), {"page": 2}).content.decode()
        assert "Page 2 of more than 2" in page

    def test_the_htmx_request_gets_only_the_table(self, case, case_officer) -> None:
        response = signed_in(case_officer).get(reverse("cases:list"), HTTP_HX_REQUEST="true")
        assert case.reference in response.content.decode()
        assert "<html" not in response.content.decode()

    def test_the_list_costs_the_same_queries_for_one_case_or_many(
        self, make_complaint, case_officer, django_assert_max_num_queries
    ) -> None:
        for _ in range(12):
            make_complaint()
        client = signed_in(case_officer)
        client.get(reverse("cases:list"))  # warm the session
        # 11: session, user, the second factor's device (django-otp, every signed-in request),
        # then the page's own (the queues' counts one statement, the rows' teams one more, the
        # user's saved views one more, the queue's count reused for the pages); the same for 1
        # case or 13.
        with django_assert_max_num_queries(11):
            client.get(reverse("cases:list"))

    @pytest.mark.parametrize("role", [Role.GOVERNING_BODY, Role.ADMINISTRATOR])
    def test_roles_without_case_access_are_refused(self, organisation, role) -> None:
        user = make_user(organisation, f"u-{role}", role)
        assert signed_in(user).get(reverse("cases:list")).status_code == 403

    def test_a_panel_member_not_sitting_on_any_panel_sees_no_case(self, case, organisation) -> None:
        user = make_user(organisation, "petra", Role.PANEL_MEMBER)
        page = signed_in(user).get(reverse("cases:list")).content.decode()
        assert case.reference not in page and "0 cases" in page

    def test_a_case_officer_sees_their_cases_and_the_triage_queue_only(
        self, make_complaint, case_officer, organisation
    ) -> None:
        colleague = make_user(organisation, "marcus", Role.CASE_OFFICER)
        mine, theirs, untriaged = (make_complaint().cases.get() for _ in range(3))
        case_assign(actor=None, case=mine, user=case_officer, role="case_officer")
        case_assign(actor=None, case=theirs, user=colleague, role="case_officer")
        # Every case they may see ("All cases": with no parameters they land on their own).
        response = signed_in(case_officer).get(reverse("cases:list"), {"queue": "all"})
        page = response.content.decode()
        assert mine.reference in page and untriaged.reference in page
        assert theirs.reference not in page
        url = reverse("cases:detail", args=[theirs.reference])
        assert signed_in(case_officer).get(url).status_code == 404


class TestCaseDetail:
    def test_it_shows_parties_allegations_deadlines_and_the_timeline(
        self, case, case_officer
    ) -> None:
        walk(case, case_officer, "acknowledge")
        page = (
            signed_in(case_officer)
            .get(reverse("cases:detail", args=[case.reference]))
            .content.decode()
        )
        assert "Rowan Ashby" in page and "Priya Callender" in page
        assert "Posted a cartoon demeaning a minority." in page
        assert "Complete the assessment" in page  # the running deadline
        assert "Reasons for acknowledge." in page  # from the timeline's stage change
        assert "Begin assessment" in page  # the action this stage allows

    def test_a_decision_recorded_later_shows_both_dates_and_the_sanction_label(
        self, case, case_officer
    ) -> None:
        case = reach(case, case_officer, PATHS["decide_upheld"])
        from fairhearing.workflow.services import case_transition

        decided = (case.stage_entered_at + dt.timedelta(minutes=1)).replace(microsecond=0)
        panel_ready_for(case, case_officer, "decide_upheld", password=PASSWORD)
        with time_machine.travel(decided + dt.timedelta(hours=3)):
            case_transition(
                actor=case_officer,
                case=case,
                transition="decide_upheld",
                reasons="Proven.",
                rule_applied="CC-1.3",
                sanction="formal_warning",
                decided_at=decided,
            )
        url = reverse("cases:detail", args=[case.reference])
        page = signed_in(case_officer).get(url).content.decode()
        assert "Formal warning" in page and "formal_warning" not in page
        assert f'Decided <time datetime="{timezone.localtime(decided).isoformat()}' in page

    def test_the_governing_body_is_refused_and_the_attempt_recorded(
        self, case, governing_member
    ) -> None:
        response = signed_in(governing_member).get(reverse("cases:detail", args=[case.reference]))
        assert response.status_code == 404
        assert refusals(case) == 1
        event = Event.objects.get(kind=EventKind.ACCESS_REFUSED)
        assert (event.actor_id, event.payload["role"]) == (governing_member.pk, "governing_body")

    def test_an_unassigned_investigator_is_refused(self, case, investigator) -> None:
        client = signed_in(investigator)
        assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
        case_assign(actor=None, case=case, user=investigator, role=Assignment.Role.INVESTIGATOR)
        assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 200

    def test_oversight_reads_but_cannot_act(self, case, organisation) -> None:
        oversight = make_user(organisation, "odile", Role.OVERSIGHT)
        client = signed_in(oversight)
        assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 200
        url = reverse("cases:transition", args=[case.reference, "acknowledge"])
        response = client.post(url, {"reasons": "x", "rule_applied": "y"})
        assert response.status_code == 404
        case.refresh_from_db()
        assert case.stage == "received"
        assert refusals(case) == 1

    def test_an_unknown_reference_is_404(self, case_officer) -> None:
        assert (
            signed_in(case_officer).get(reverse("cases:detail", args=["FH-0000-00000"])).status_code
            == 404
        )


class TestCaseTransition:
    def url(self, case: Case, transition: str) -> str:
        return reverse("cases:transition", args=[case.reference, transition])

    def test_it_records_the_decision_with_reasons(self, case, case_officer) -> None:
        response = signed_in(case_officer).post(
            self.url(case, "acknowledge"),
            {"reasons": "Acknowledged by letter.", "rule_applied": "R-02"},
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.stage == "acknowledged"
        change = case.stage_changes.get()
        assert (change.reasons, change.rule_applied, change.actor) == (
            "Acknowledged by letter.",
            "R-02",
            case_officer,
        )

    def test_missing_reasons_show_an_error_summary_and_change_nothing(
        self, case, case_officer
    ) -> None:
        before = Event.objects.count()
        response = signed_in(case_officer).post(
            self.url(case, "acknowledge"), {"reasons": "", "rule_applied": ""}
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert "There is a problem" in page
        assert NEEDS_REASONS in page
        assert 'href="#id_reasons"' in page
        case.refresh_from_db()
        assert case.stage == "received" and Event.objects.count() == before

    def test_reasons_over_the_limit_say_so_in_plain_words_and_change_nothing(
        self, case, case_officer
    ) -> None:
        before = Event.objects.count()
        response = signed_in(case_officer).post(
            self.url(case, "acknowledge"), {"reasons": "x" * 10_001, "rule_applied": "R-02"}
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert "Reasons must be 10,000 characters or fewer." in page
        assert "Ensure this value" not in page
        case.refresh_from_db()
        assert case.stage == "received" and Event.objects.count() == before

    def test_a_move_the_stage_does_not_allow_says_why(self, case, case_officer) -> None:
        response = signed_in(case_officer).post(
            self.url(case, "refer_to_panel"), {"reasons": "x", "rule_applied": "y"}
        )
        assert response.status_code == 409
        assert "is not possible while the case is at the stage" in response.content.decode()
        case.refresh_from_db()
        assert case.stage == "received"

    def test_a_sanction_is_asked_for_when_upholding(self, case, case_officer) -> None:
        case = reach(case, case_officer, PATHS["decide_upheld"])
        response = signed_in(case_officer).get(self.url(case, "decide_upheld"))
        assert 'name="sanction"' in response.content.decode()
        response = signed_in(case_officer).get(self.url(case, "acknowledge"))
        assert 'name="sanction"' not in response.content.decode()

    def test_outsiders_are_refused_and_recorded(self, case, governing_member) -> None:
        response = signed_in(governing_member).post(
            self.url(case, "acknowledge"), {"reasons": "x", "rule_applied": "y"}
        )
        assert response.status_code == 404
        assert refusals(case) == 1
        case.refresh_from_db()
        assert case.stage == "received"


class TestTeamAndHearing:
    def test_a_case_officer_adds_an_investigator(self, case, case_officer, investigator) -> None:
        response = signed_in(case_officer).post(
            reverse("cases:assign", args=[case.reference]),
            {"user": investigator.pk, "role": "investigator"},
        )
        assert response.status_code == 302
        assert case.assignments.get().user == investigator
        assert Event.objects.filter(kind=EventKind.CASE_ASSIGNED, case_id=case.pk).exists()

    def test_a_hearing_too_soon_is_refused_with_the_reason(self, case, case_officer) -> None:
        walk(
            case,
            case_officer,
            "acknowledge",
            "begin_assessment",
            "assess_investigate",
            "reply_received",
            "complete_investigation",
            "refer_to_panel",
        )
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = signed_in(case_officer).post(
            reverse("cases:hearing", args=[case.reference]),
            {"hearing_on": tomorrow.isoformat(), "hearing_time": "10:00"},
        )
        assert response.status_code == 400
        earliest = hearing_earliest(case)
        message = (
            f"The hearing must be on or after {earliest:%-d %B %Y}: 10 working days' notice, "
            "counted from when the letter is deemed served, 2 working days after posting."
        )
        assert f"Error:</span> {escape(message)}</p>" in response.content.decode()

    @pytest.mark.parametrize("email", ["", "rowan@example.invalid"])
    def test_the_hearing_page_gives_the_earliest_date_by_email_or_by_post(
        self, case, case_officer, email
    ) -> None:
        Person.objects.filter(pk=case.respondent_id).update(email=email)
        case = reach(case, case_officer, PATHS["hearing_held"])
        page = signed_in(case_officer).get(reverse("cases:hearing", args=[case.reference]))
        text = " ".join(page.content.decode().split())
        by_post = "They have no email address, so the notice goes by post and counts from when "
        by_post += "the letter is deemed served, 2 working days after posting"
        assert (by_post in text) == (not email)
        assert (
            f"the hearing can be on <strong>{hearing_earliest(case):%-d %B %Y}</strong> at the "
            "earliest."
        ) in text

    @pytest.mark.parametrize("name", ["assign", "hearing"])
    def test_outsiders_are_refused(self, case, governing_member, name) -> None:
        response = signed_in(governing_member).get(reverse(f"cases:{name}", args=[case.reference]))
        assert response.status_code == 404
        assert NOT_FOUND in response.content.decode()
        assert refusals(case) == 1


@pytest.mark.django_db
def test_search_finds_a_case_by_a_name_part_of_it_or_a_membership_number(
    case_officer, make_complaint
) -> None:
    from fairhearing.people.models import Person

    case = make_complaint(respondents=("Marisol Entwhistle",)).cases.get()
    other = make_complaint(respondents=("Dorian Vale",)).cases.get()
    Person.objects.filter(pk=other.respondent_id).update(membership_number="NCL-4410")
    client = signed_in(case_officer)

    def found(term: str) -> set[str]:
        page = client.get(reverse("cases:list"), {"search": term}).content.decode()
        return {c.reference for c in (case, other) if c.reference in page}

    assert found("marisol  ENTWHISTLE") == {case.reference}
    assert found("ncl-4410") == {other.reference}
    assert found("Priya Callender") == {case.reference, other.reference}  # the complainant
    assert found("Marisol") == {case.reference}  # part of a name: the blind index
    assert found("entw dori") == set()  # each word in the name of one person
    assert found("   ") == {case.reference, other.reference}  # blank: no filter


def test_the_timeline_names_time_limits_and_dates_in_words(case, case_officer) -> None:
    from fairhearing.deadlines.models import Deadline
    from fairhearing.deadlines.services import deadline_sweep

    case_assign(actor=case_officer, case=case, user=case_officer, role="case_officer")
    Deadline.objects.filter(case=case).update(due_at=dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC))
    deadline_sweep()
    page = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    text = page.content.decode()
    for deadline in Deadline.objects.filter(case=case):
        assert f"{deadline.label}: due 5 January 2026" in text
        assert deadline.kind.capitalize() not in text or "_" not in deadline.kind
    assert "2026-01-05" not in text


def test_every_email_to_the_parties_is_listed_on_the_case(make_complaint, case_officer) -> None:
    from fairhearing.intake.services import complaint_acknowledge_by_email
    from fairhearing.workflow.sign_in import sign_in_link_send

    complaint = make_complaint()
    case = complaint.cases.get()
    case_assign(actor=case_officer, case=case, user=case_officer, role="case_officer")
    page = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    assert "No emails have been sent to the parties yet." in page.content.decode()
    assert complaint_acknowledge_by_email(complaint=complaint)
    sign_in_link_send(actor=case_officer, case=case, person=complaint.complainant)
    again = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    text = again.content.decode()
    assert "Acknowledgement with the reference" in text
    assert "Sign-in link to follow the case" in text
    assert "Priya Callender (complainant)" in text
    assert "No emails have been sent" not in text
