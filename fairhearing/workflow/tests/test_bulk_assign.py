"""Assigning cases in bulk (issue 21, item 3): one decision per case with the same reasons,
each in its own savepoint; a case the rules refuse is reported and the others go through."""

import pytest

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Assignment
from fairhearing.cases.services import (
    BULK_MOST,
    BULK_SAME_PERSON,
    CASE_CLOSED,
    NEEDS_REASONS,
    NOT_ON_TEAM,
)
from fairhearing.conftest import make_user, walk
from fairhearing.core.errors import CaseError
from fairhearing.interests import services as interests
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import Event, EventKind
from fairhearing.panels.models import TrainingRecord
from fairhearing.workflow.services import case_assign, cases_bulk_assign

pytestmark = pytest.mark.django_db

REASONS = "Ivo Brandt leaves the unit on 30 June; his cases pass to Wren."


@pytest.fixture
def colleague(organisation):
    return make_user(
        organisation, "wren", Role.INVESTIGATOR, first_name="Wren", last_name="Adeyemi"
    )


def test_it_replaces_a_leaver_on_each_case_with_the_reasons(
    make_complaint, case_officer, investigator, colleague
) -> None:
    cases = [make_complaint().cases.get() for _ in range(3)]
    for case in cases:
        case_assign(actor=None, case=case, user=investigator, role="investigator")
    before = Event.objects.count()

    outcomes = cases_bulk_assign(
        actor=case_officer,
        cases=cases,
        user=colleague,
        role="investigator",
        replacing=investigator,
        reasons=f"  {REASONS}\n",
    )

    assert [o.refused for o in outcomes] == ["", "", ""]
    for case in cases:
        ended = Assignment.objects.get(case=case, user=investigator)
        assert ended.ended_at is not None and ended.end_reasons == REASONS
        joined = Assignment.objects.get(case=case, user=colleague, ended_at__isnull=True)
        assert joined.role == "investigator" and joined.reasons == REASONS
    events = list(Event.objects.order_by("seq")[before:])
    assert [e.kind for e in events] == [EventKind.CASE_UNASSIGNED, EventKind.CASE_ASSIGNED] * 3
    assert {e.actor_id for e in events} == {case_officer.pk}
    assert {e.payload["reasons_sha256"] for e in events} == {content_hash(REASONS)}


def test_refused_cases_are_reported_and_the_others_go_through(
    organisation, make_complaint, case_officer, investigator, colleague
) -> None:
    fine, conflicted, closed, already, not_his = (make_complaint().cases.get() for _ in range(5))
    for case in (fine, conflicted, closed, already):
        case_assign(actor=None, case=case, user=investigator, role="investigator")
    case_assign(actor=None, case=already, user=colleague, role="investigator")
    interests.interest_declare(actor=colleague, kind="person", person=conflicted.respondent)
    walk(closed, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
    before = Event.objects.count()

    outcomes = cases_bulk_assign(
        actor=case_officer,
        cases=[fine, conflicted, closed, already, not_his],
        user=colleague,
        role="investigator",
        replacing=investigator,
        reasons=REASONS,
    )

    refused = {o.case.reference: o.refused for o in outcomes if o.refused}
    assert set(refused) == {
        conflicted.reference,
        closed.reference,
        already.reference,
        not_his.reference,
    }
    assert "Wren Adeyemi cannot join this case" in refused[conflicted.reference]
    assert refused[closed.reference] == CASE_CLOSED
    assert refused[already.reference] == (
        "Wren Adeyemi is already on this case team as Investigator."
    )
    assert refused[not_his.reference] == NOT_ON_TEAM.format(name="Ivo Brandt")
    # Only the case that went through changed: the leaver is still on the refused ones.
    assert Event.objects.count() == before + 2
    for case in (conflicted, closed, already):
        assert Assignment.objects.filter(case=case, user=investigator, ended_at=None).exists()
    assert not Assignment.objects.filter(case=fine, user=investigator, ended_at=None).exists()


def test_an_untrained_colleague_is_refused_on_every_case(
    make_complaint, case_officer, colleague
) -> None:
    TrainingRecord.objects.filter(user=colleague).delete()
    cases = [make_complaint().cases.get() for _ in range(2)]
    outcomes = cases_bulk_assign(
        actor=case_officer, cases=cases, user=colleague, role="investigator", reasons=REASONS
    )
    assert all("holds no current training" in o.refused for o in outcomes)
    assert not Assignment.objects.filter(user=colleague).exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"reasons": "  "}, NEEDS_REASONS),
        ({"replacing": "colleague"}, BULK_SAME_PERSON),
        ({"too_many": True}, f"Select at most {BULK_MOST} cases at a time: you selected 201."),
    ],
)
def test_a_bulk_assignment_wrong_as_a_whole_changes_nothing(
    case, case_officer, colleague, change, message
) -> None:
    kwargs = {
        "actor": case_officer,
        "cases": [case] * (BULK_MOST + 1) if change.get("too_many") else [case],
        "user": colleague,
        "role": "investigator",
        "replacing": colleague if change.get("replacing") else None,
        "reasons": change.get("reasons", REASONS),
    }
    before = Event.objects.count()
    with pytest.raises(CaseError) as refused:
        cases_bulk_assign(**kwargs)
    assert str(refused.value) == message
    assert Event.objects.count() == before
