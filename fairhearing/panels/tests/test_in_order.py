"""Hearings and votes in order (issue 19, item 3): no hearing recorded as held before its time,
no vote before the hearing, no sanction that ends without a length within the rulebook's
maximum, and no contradictory choices on the vote form."""

import datetime as dt

import pytest
from django.utils import timezone

from fairhearing.cases.models import Case
from fairhearing.conftest import PASSWORD, TO_HEARING, hearing_took_place, walk
from fairhearing.core.errors import CaseError
from fairhearing.demo.panels import panel_decide, panel_pool_ensure, panel_prepare
from fairhearing.ledger.models import Event, EventKind
from fairhearing.panels import services
from fairhearing.panels.forms import VoteForm
from fairhearing.panels.models import Panel
from fairhearing.workflow.services import case_schedule_hearing, case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_hearing(case, case_officer):
    panel_pool_ensure(case.organisation, password=PASSWORD)
    return walk(case, case_officer, *TO_HEARING)


@pytest.fixture
def at_decision(at_hearing, case_officer):
    case_schedule_hearing(
        actor=case_officer, case=at_hearing, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    return walk(at_hearing, case_officer, "hearing_held")


def hold_early(case: Case, actor) -> None:
    case_transition(
        actor=actor, case=case, transition="hearing_held", reasons="Held.", rule_applied="P6"
    )


def first_seat(case: Case):
    return Panel.objects.get(case=case, kind="hearing").seats.order_by("pk").first()


def test_a_hearing_cannot_be_recorded_as_held_before_its_time(at_hearing, case_officer) -> None:
    hearing_at = timezone.now() + dt.timedelta(days=21)
    case_schedule_hearing(actor=case_officer, case=at_hearing, hearing_at=hearing_at)
    panel_prepare(at_hearing, case_officer)
    with pytest.raises(CaseError, match="only once that time has come"):
        hold_early(at_hearing, case_officer)
    at_hearing.refresh_from_db()
    assert at_hearing.stage == "hearing"
    # Backdating the record does not help: the decision time cannot precede the hearing either.
    with pytest.raises(CaseError):
        case_transition(
            actor=case_officer,
            case=at_hearing,
            transition="hearing_held",
            reasons="Held.",
            rule_applied="P6",
            decided_at=timezone.now() - dt.timedelta(minutes=5),
        )
    hearing_took_place(at_hearing)
    hold_early(at_hearing, case_officer)
    at_hearing.refresh_from_db()
    assert at_hearing.stage == "decision"


def test_no_vote_while_the_hearing_is_still_ahead(at_decision) -> None:
    # Defence in depth: even at the decision stage, a hearing still to come blocks the vote.
    Case.objects.filter(pk=at_decision.pk).update(hearing_at=timezone.now() + dt.timedelta(days=3))
    seat = first_seat(at_decision)
    with pytest.raises(CaseError, match="cannot be voted on before"):
        services.panel_vote(
            actor=seat.user, seat=seat, transition="decide_not_upheld", reasons="Not proven."
        )
    Case.objects.filter(pk=at_decision.pk).update(hearing_at=None)
    seat = first_seat(at_decision)
    with pytest.raises(CaseError, match="no hearing has been scheduled"):
        services.panel_vote(
            actor=seat.user, seat=seat, transition="decide_not_upheld", reasons="Not proven."
        )
    assert not Event.objects.filter(kind=EventKind.PANEL_VOTE_CAST).exists()


def test_a_suspension_vote_needs_an_end_within_the_rulebook_maximum(at_decision) -> None:
    seat = first_seat(at_decision)
    today = timezone.localdate()

    def vote(ends_on):
        return services.panel_vote(
            actor=seat.user,
            seat=seat,
            transition="decide_upheld",
            reasons="Proven.",
            sanction="suspension",
            sanction_ends_on=ends_on,
        )

    with pytest.raises(CaseError, match="must have an end date"):
        vote(None)
    with pytest.raises(CaseError, match="at most 730 days"):
        vote(today + dt.timedelta(days=731))
    cast = vote(today + dt.timedelta(days=730))
    assert cast.sanction_ends_on == today + dt.timedelta(days=730)
    event = Event.objects.get(kind=EventKind.PANEL_VOTE_CAST)
    assert event.payload["sanction_ends_on"] == cast.sanction_ends_on.isoformat()


def test_a_vote_against_the_allegations_carries_no_sanction(at_decision) -> None:
    seat = first_seat(at_decision)
    with pytest.raises(CaseError, match="carries no sanction"):
        services.panel_vote(
            actor=seat.user,
            seat=seat,
            transition="decide_not_upheld",
            reasons="Not proven.",
            sanction="formal_warning",
        )


def test_the_decision_cannot_run_longer_than_the_majority_voted(at_decision, case_officer) -> None:
    today = timezone.localdate()
    voted_end = today + dt.timedelta(days=180)
    panel_decide(
        at_decision,
        case_officer,
        "decide_upheld",
        sanction="suspension",
        sanction_ends_on=voted_end,
    )

    def decide(ends_on):
        return case_transition(
            actor=case_officer,
            case=at_decision,
            transition="decide_upheld",
            reasons="Proven.",
            rule_applied="CC-1.3",
            sanction="suspension",
            sanction_ends_on=ends_on,
        )

    with pytest.raises(CaseError, match="end by"):
        decide(voted_end + dt.timedelta(days=1))
    with pytest.raises(CaseError, match="must have an end date"):
        decide(None)
    change = decide(voted_end - dt.timedelta(days=30))  # shorter than voted: allowed
    assert change.sanction_ends_on == voted_end - dt.timedelta(days=30)


def test_a_decision_beyond_the_rulebook_maximum_is_refused(case_officer, at_decision) -> None:
    # Even where every member voted it, the rulebook's ceiling holds at the decision.
    far = timezone.localdate() + dt.timedelta(days=2000)
    with pytest.raises(CaseError, match="at most 1826 days"):
        case_transition(
            actor=case_officer,
            case=at_decision,
            transition="decide_upheld",
            reasons="Proven.",
            rule_applied="CC-1.3",
            sanction="expulsion",
            sanction_ends_on=far,
        )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"transition": "decide_not_upheld", "sanction": "formal_warning"},
            "sanction",
            "carries no sanction",
        ),
        ({"transition": "decide_upheld", "sanction": ""}, "sanction", "Choose a sanction"),
        (
            {"transition": "decide_upheld", "sanction": "suspension"},
            "sanction_ends_on",
            "Enter the date",
        ),
        (
            {
                "transition": "decide_upheld",
                "sanction": "formal_warning",
                "sanction_ends_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            },
            "sanction_ends_on",
            "does not end",
        ),
    ],
)
def test_the_vote_form_refuses_contradictory_choices(at_decision, data, field, message) -> None:
    spec = at_decision.rulebook.spec
    choices = services.voting_transitions(at_decision, Panel.objects.get(case=at_decision))
    form = VoteForm({**data, "reasons": "Because."}, spec=spec, choices=choices)
    assert not form.is_valid()
    assert message in " ".join(str(e) for e in form.errors[field])
