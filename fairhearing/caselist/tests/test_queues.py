"""The queues of the case list (caselist/queries.py): who is in each, and their counts."""

import datetime as dt

import pytest
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.caselist import queries
from fairhearing.caselist.queries import QUEUES, case_list, queue_counts
from fairhearing.cases.access import cases_visible_to
from fairhearing.cases.models import Assignment, Case
from fairhearing.conftest import make_user, walk
from fairhearing.deadlines.models import Deadline
from fairhearing.oversight.models import Verification
from fairhearing.oversight.tests.test_verification import decided
from fairhearing.workflow.services import case_assign, verification_verify

pytestmark = pytest.mark.django_db


def due_in(case: Case, delta: dt.timedelta, *, binds: str = Deadline.Binds.ORGANISATION) -> None:
    """The case's running time limit, moved to fall due `delta` from now."""
    case.deadlines.filter(status=Deadline.Status.OPEN).update(
        due_at=timezone.now() + delta, binds=binds
    )


def in_queue(user, queue: str, **filters) -> set[str]:
    rows = case_list(cases_visible_to(user), queue=queue, user=user, **filters)
    return set(rows.values_list("reference", flat=True))


@pytest.fixture
def cases(make_complaint, case_officer, organisation):
    """A small office: the officer's cases (one closed), a colleague's, and untriaged ones,
    with their running time limits set to be overdue, due this week, later, or the
    respondent's."""
    colleague = make_user(organisation, "marcus", Role.CASE_OFFICER)
    made = {
        name: make_complaint().cases.get()
        for name in (
            "mine_overdue",
            "mine_this_week",
            "mine_theirs_to_reply",
            "mine_closed",
            "colleagues_overdue",
            "untriaged_this_week",
            "untriaged_later",
        )
    }
    for name, case in made.items():
        owner = case_officer if name.startswith("mine") else colleague
        if not name.startswith("untriaged"):
            case_assign(actor=None, case=case, user=owner, role=Assignment.Role.CASE_OFFICER)
    due_in(made["mine_overdue"], -dt.timedelta(days=3))
    due_in(made["mine_this_week"], dt.timedelta(days=2))
    due_in(made["mine_theirs_to_reply"], -dt.timedelta(days=1), binds=Deadline.Binds.RESPONDENT)
    due_in(made["colleagues_overdue"], -dt.timedelta(days=1))
    due_in(made["untriaged_this_week"], dt.timedelta(days=6, hours=23))
    due_in(made["untriaged_later"], dt.timedelta(days=7, hours=1))
    made["mine_closed"] = walk(
        made["mine_closed"],
        case_officer,
        "acknowledge",
        "begin_assessment",
        "assess_no_further_action",
    )
    assert made["mine_closed"].closed_at is not None
    return {name: case.reference for name, case in made.items()}


def test_each_queue_holds_its_cases(cases, case_officer) -> None:
    c = cases
    assert in_queue(case_officer, "mine") == {
        c["mine_overdue"],
        c["mine_this_week"],
        c["mine_theirs_to_reply"],
    }  # not the closed one, nor a colleague's
    # The next step is ours: not the case waiting on the respondent's reply.
    assert in_queue(case_officer, "awaiting_me") == {c["mine_overdue"], c["mine_this_week"]}
    # Of the cases the officer may see (a colleague's are outside their need-to-know).
    assert in_queue(case_officer, "due_this_week") == {
        c["mine_this_week"],
        c["untriaged_this_week"],
    }
    assert in_queue(case_officer, "overdue") == {c["mine_overdue"]}
    assert in_queue(case_officer, "unassigned") == {c["untriaged_this_week"], c["untriaged_later"]}
    everything = set(c.values()) - {c["colleagues_overdue"]}
    assert in_queue(case_officer, "all") == everything  # the closed case too


def test_oversight_sees_a_colleagues_overdue_case_in_overdue_but_nothing_of_its_own(
    cases, organisation
) -> None:
    reader = make_user(organisation, "olu", Role.OVERSIGHT)
    assert in_queue(reader, "overdue") == {cases["mine_overdue"], cases["colleagues_overdue"]}
    assert in_queue(reader, "mine") == set() and in_queue(reader, "awaiting_me") == set()


def test_a_pause_awaiting_approval_waits_for_oversight(cases, organisation, case_officer) -> None:
    from fairhearing.deadlines.clock_stops import deadline_pause

    reader = make_user(organisation, "olu", Role.OVERSIGHT)
    colleagues = Case.objects.get(reference=cases["colleagues_overdue"])
    deadline_pause(
        actor=colleagues.assignments.get().user,
        deadline=colleagues.deadlines.get(status="open"),
        reasons="Respondent in hospital.",
        restart_on=timezone.localdate() + dt.timedelta(days=10),
    )
    assert in_queue(reader, "awaiting_me") == {cases["colleagues_overdue"]}
    assert queue_counts(cases_visible_to(reader, "view"), reader)["awaiting_me"] == 1
    # Not a colleague's case for the officer: it is not theirs to see.
    assert cases["colleagues_overdue"] not in in_queue(case_officer, "awaiting_me")


def test_filters_apply_within_the_queue_and_a_search_looks_through_every_case(
    cases, case_officer
) -> None:
    c = cases
    assert in_queue(case_officer, "mine", assignee="unassigned") == set()
    assert in_queue(case_officer, "unassigned", stage="received") == {
        c["untriaged_this_week"],
        c["untriaged_later"],
    }
    # Searched from "Assigned to me": the closed case and an untriaged one are found.
    assert in_queue(case_officer, "mine", search=c["mine_closed"]) == {c["mine_closed"]}
    assert in_queue(case_officer, "overdue", search=c["untriaged_later"]) == {c["untriaged_later"]}
    # Never a case outside the officer's need-to-know.
    assert in_queue(case_officer, "all", search=c["colleagues_overdue"]) == set()


def test_the_counts_match_the_queues(cases, case_officer) -> None:
    visible = cases_visible_to(case_officer)
    counts = queue_counts(visible, case_officer)
    assert list(counts) == list(QUEUES)
    assert counts == {queue: len(in_queue(case_officer, queue)) for queue in QUEUES}
    assert counts == {
        "mine": 3,
        "awaiting_me": 2,
        "due_this_week": 2,
        "overdue": 1,
        "unassigned": 2,
        "all": 6,
    }


def test_the_counts_stop_at_the_cap(cases, case_officer, monkeypatch) -> None:
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    counts = queue_counts(cases_visible_to(case_officer), case_officer)
    assert counts == {
        "mine": 3,
        "awaiting_me": 2,
        "due_this_week": 2,
        "overdue": 1,
        "unassigned": 2,
        "all": 3,
    }


def test_a_role_that_reaches_no_case_counts_nothing(cases, organisation) -> None:
    sitting_nowhere = make_user(organisation, "petra", Role.PANEL_MEMBER)
    assert set(queue_counts(cases_visible_to(sitting_nowhere), sitting_nowhere).values()) == {0}
    governing = make_user(organisation, "gwen", Role.GOVERNING_BODY)
    assert set(queue_counts(Case.objects.none(), governing).values()) == {0}


def test_oversight_awaits_the_decisions_held_for_their_verification(
    make_complaint, case_officer, organisation
) -> None:
    reader = make_user(organisation, "odile", Role.OVERSIGHT)
    held = decided(make_complaint, case_officer, "antisemitism")
    not_held = decided(make_complaint, case_officer, "bullying")  # takes effect at once
    assert held.stage == "verification" and not_held.stage == "appeal_window"
    assert in_queue(reader, "awaiting_me") == {held.reference}
    counts = queue_counts(cases_visible_to(reader), reader)
    assert counts["awaiting_me"] == 1 and counts["mine"] == 0
    # The case team's "Awaiting me" is unchanged: a running limit that binds the organisation
    # (here oversight's own ten days), on their team.
    case_assign(actor=None, case=held, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    assert held.reference in in_queue(case_officer, "awaiting_me")
    # Decided, it waits for nobody's verification.
    verification_verify(
        actor=reader, verification=Verification.objects.get(case=held), reasons="Sound."
    )
    assert in_queue(reader, "awaiting_me") == set()
    assert queue_counts(cases_visible_to(reader), reader)["awaiting_me"] == 0
    # Nobody else awaits a verification they cannot give.
    assert in_queue(make_user(organisation, "gail", Role.INVESTIGATOR), "awaiting_me") == set()
