import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.cases.access import cases_visible_to
from fairhearing.cases.models import Assignment
from fairhearing.conftest import PASSWORD, TO_HEARING, make_user, walk
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.services import deadline_sweep
from fairhearing.demo.panels import panel_decide, panel_pool_ensure, panel_prepare
from fairhearing.interests.services import interest_declare
from fairhearing.ledger.models import Event, EventKind
from fairhearing.panels import services
from fairhearing.panels.models import Panel, Panellist, TrainingRecord
from fairhearing.panels.queries import involved_before, panel_eligibility
from fairhearing.workflow.bias import case_recuse
from fairhearing.workflow.services import case_assign, case_schedule_hearing, case_transition

pytestmark = pytest.mark.django_db


def hold(case, actor):
    case_schedule_hearing(actor=actor, case=case, hearing_at=timezone.now() + dt.timedelta(days=21))
    return walk(case, actor, "hearing_held")


@pytest.fixture
def pool(organisation):
    return panel_pool_ensure(organisation, password=PASSWORD)


@pytest.fixture
def at_hearing(case, case_officer, pool):
    return walk(case, case_officer, *TO_HEARING)


def test_the_draw_is_reproducible_from_the_eligible_list_and_seed(at_hearing, case_officer) -> None:
    panel = services.panel_draw(actor=case_officer, case=at_hearing, kind="hearing", seed=12345)
    event = Event.objects.get(kind=EventKind.PANEL_DRAWN)
    eligible = [tuple(pair) for pair in panel.eligible]
    redrawn = services.draw(
        eligible, seed=event.payload["seed"], size=3, chair_qualification="lawyer"
    )
    assert redrawn == event.payload["members"]
    seats = list(panel.seats.order_by("-is_chair", "pk"))
    assert seats[0].user_id == event.payload["chair"]
    assert seats[0].user.panellist.qualification == "lawyer"
    assert len(seats) == 3


def test_different_seeds_can_draw_different_panels(pool) -> None:
    eligible = sorted((u.pk, u.panellist.qualification) for u in pool)
    panels = {
        tuple(services.draw(eligible, seed=s, size=3, chair_qualification="lawyer"))
        for s in range(20)
    }
    assert len(panels) > 1


def test_expired_training_means_not_eligible(at_hearing, pool) -> None:
    TrainingRecord.objects.filter(user=pool[0]).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    eligible = {p.user_id for p in panel_eligibility(at_hearing, "hearing").eligible}
    assert pool[0].pk not in eligible and pool[1].pk in eligible


def test_a_declared_interest_keeps_a_panellist_out_of_the_draw(at_hearing, pool) -> None:
    interest_declare(actor=pool[1], kind="person", person=at_hearing.respondent)
    eligibility = panel_eligibility(at_hearing, "hearing")
    assert pool[1].pk not in {p.user_id for p in eligibility.eligible}
    assert "declared an interest" in eligibility.excluded[pool[1].pk]


def test_no_eligible_lawyer_means_no_panel(at_hearing, case_officer, pool) -> None:
    Panellist.objects.filter(qualification="lawyer").update(active=False)
    with pytest.raises(CaseError, match="qualification to chair"):
        services.panel_draw(actor=case_officer, case=at_hearing, kind="hearing")
    assert not Panel.objects.exists()


def test_separation_of_functions_across_stages(case, case_officer, investigator, pool) -> None:
    # The investigator and the person who decided to charge are also in the panel pool.
    Panellist.objects.create(user=investigator, qualification="lay")
    TrainingRecord.objects.create(
        user=investigator,
        course="Panel member induction",
        completed_on=timezone.localdate(),
        expires_on=timezone.localdate() + dt.timedelta(days=300),
    )
    case_assign(actor=None, case=case, user=investigator, role=Assignment.Role.INVESTIGATOR)
    case = walk(case, case_officer, *TO_HEARING[:5])
    charger = pool[6]
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    case_transition(
        actor=charger,
        case=case,
        transition="refer_to_panel",
        reasons="A case to answer.",
        rule_applied="Charging standard",
    )
    excluded = involved_before(case, "hearing")
    assert excluded[investigator.pk] == "investigated the case"
    assert excluded[charger.pk] == "decided to charge"
    hearing = services.panel_draw(actor=case_officer, case=case, kind="hearing", seed=1)
    hearing_members = set(hearing.seats.values_list("user_id", flat=True))
    assert not hearing_members & {investigator.pk, charger.pk}
    case.refresh_from_db()
    panel_prepare(case, case_officer)
    case = hold(case, case_officer)
    case = walk(case, case_officer, "decide_upheld", "appeal_lodged")
    appeal_excluded = involved_before(case, "appeal")
    assert hearing_members <= set(appeal_excluded)
    appeal = services.panel_draw(actor=case_officer, case=case, kind="appeal", seed=2)
    assert not set(appeal.seats.values_list("user_id", flat=True)) & hearing_members


def test_a_member_sees_the_case_only_after_affirming(at_hearing, case_officer, pool) -> None:
    panel = services.panel_draw(actor=case_officer, case=at_hearing, kind="hearing", seed=3)
    seat = panel.seats.all()[0]
    assert not cases_visible_to(seat.user).filter(pk=at_hearing.pk).exists()
    services.seat_affirm(actor=seat.user, seat=seat)
    assert cases_visible_to(seat.user).filter(pk=at_hearing.pk).exists()
    assert not cases_visible_to(seat.user, "act").exists()  # panel members read, not act


def test_a_conflicted_member_cannot_affirm_and_steps_aside_to_be_replaced(
    at_hearing, case_officer
) -> None:
    panel = services.panel_draw(actor=case_officer, case=at_hearing, kind="hearing", seed=4)
    seat = panel.seats.filter(is_chair=False)[0]
    interest_declare(actor=seat.user, kind="person", person=at_hearing.respondent)
    with pytest.raises(CaseError, match="Step aside instead"):
        services.seat_affirm(actor=seat.user, seat=seat)
    case_recuse(actor=seat.user, case=at_hearing, reasons="I know the respondent.")
    seat.refresh_from_db()
    assert seat.left_at is not None
    replacement = services.panel_add_member(actor=case_officer, panel=panel, seed=9)
    assert replacement.user_id != seat.user_id
    assert Event.objects.filter(kind=EventKind.PANEL_MEMBER_ADDED).get().payload["seed"] == 9
    with pytest.raises(CaseError, match=services.FULL_PANEL):
        services.panel_add_member(actor=case_officer, panel=panel)


def test_the_decision_follows_the_majority_and_records_dissent(at_hearing, case_officer) -> None:
    case = hold(at_hearing, case_officer)
    panel_decide(
        case, case_officer, "decide_upheld", sanction="formal_warning", dissent="decide_not_upheld"
    )
    with pytest.raises(CaseError, match="majority did not vote"):
        case_transition(
            actor=case_officer,
            case=case,
            transition="decide_not_upheld",
            reasons="x",
            rule_applied="y",
        )
    with pytest.raises(CaseError, match="No member of the majority voted for that sanction"):
        case_transition(
            actor=case_officer,
            case=case,
            transition="decide_upheld",
            reasons="x",
            rule_applied="y",
            sanction="mandatory_education",
        )
    case_transition(
        actor=case_officer,
        case=case,
        transition="decide_upheld",
        reasons="Proven.",
        rule_applied="CC-1.3",
        sanction="formal_warning",
    )
    votes = list(
        Event.objects.filter(kind=EventKind.PANEL_VOTE_CAST).values_list("payload", flat=True)
    )
    assert sorted(v["transition"] for v in votes) == [
        "decide_not_upheld",
        "decide_upheld",
        "decide_upheld",
    ]


def test_without_a_quorum_there_is_no_decision(at_hearing, case_officer) -> None:
    case = hold(at_hearing, case_officer)
    panel = Panel.objects.get(case=case, kind="hearing")
    seat = panel.seats.all()[0]
    services.panel_vote(
        actor=seat.user, seat=seat, transition="decide_not_upheld", reasons="Not proven."
    )
    with pytest.raises(CaseError, match="1 of the 3 votes"):
        case_transition(
            actor=case_officer,
            case=case,
            transition="decide_not_upheld",
            reasons="x",
            rule_applied="y",
        )


def test_one_vote_per_member_and_only_after_affirming(at_hearing, case_officer) -> None:
    panel = services.panel_draw(actor=case_officer, case=at_hearing, kind="hearing", seed=5)
    seat = panel.seats.all()[0]
    with pytest.raises(CaseError, match=services.NOT_AFFIRMED):
        services.panel_vote(actor=seat.user, seat=seat, transition="decide_upheld", reasons="x")


def test_interim_suspension_only_by_the_chair_with_a_review_that_comes_due(
    at_hearing, case_officer
) -> None:
    panel_prepare(at_hearing, case_officer)
    panel = Panel.objects.get(case=at_hearing, kind="hearing")
    chair = panel.seats.get(is_chair=True).user
    member = panel.seats.filter(is_chair=False)[0].user
    ends = timezone.localdate() + dt.timedelta(days=60)
    with pytest.raises(CaseError, match=services.NOT_CHAIR):
        services.interim_suspension_impose(
            actor=case_officer, case=at_hearing, reasons="x", ends_on=ends
        )
    with pytest.raises(CaseError, match=services.NOT_CHAIR):
        services.interim_suspension_impose(actor=member, case=at_hearing, reasons="x", ends_on=ends)
    with pytest.raises(CaseError, match="at most 90 days"):
        services.interim_suspension_impose(
            actor=chair,
            case=at_hearing,
            reasons="Risk to members.",
            ends_on=timezone.localdate() + dt.timedelta(days=120),
        )
    suspension = services.interim_suspension_impose(
        actor=chair, case=at_hearing, reasons="Risk to members.", ends_on=ends
    )
    review = suspension.review_deadline
    assert review is not None
    assert (review.kind, review.working_days, review.stage_bound) == (
        "interim_suspension_review",
        20,
        False,
    )
    with time_machine.travel(review.due_at + dt.timedelta(days=1)):
        assert deadline_sweep().breaches == 1
    # A stage change leaves the review running: it belongs to the suspension, not the stage.
    case = hold(at_hearing, case_officer)
    review.refresh_from_db()
    assert review.status == "open"
    services.interim_suspension_lift(actor=chair, case=case, reasons="Risk has passed.")
    review.refresh_from_db()
    assert review.status == "closed"
    kinds = list(Event.objects.filter(case_id=case.pk).values_list("kind", flat=True))
    assert (
        EventKind.INTERIM_SUSPENSION_IMPOSED in kinds
        and EventKind.INTERIM_SUSPENSION_LIFTED in kinds
    )


def test_a_panel_cannot_be_drawn_at_the_wrong_stage(case, case_officer, pool) -> None:
    with pytest.raises(CaseError, match="can only be drawn"):
        services.panel_draw(actor=case_officer, case=case, kind="hearing")


def test_panel_members_outside_the_pool_are_not_case_officers(organisation) -> None:
    user = make_user(organisation, "petra", Role.PANEL_MEMBER)
    assert not cases_visible_to(user).exists()


def test_reviewing_a_suspension_opens_the_next_review(at_hearing, case_officer) -> None:
    panel_prepare(at_hearing, case_officer)
    chair = Panel.objects.get(case=at_hearing, kind="hearing").seats.get(is_chair=True).user
    suspension = services.interim_suspension_impose(
        actor=chair,
        case=at_hearing,
        reasons="Risk.",
        ends_on=timezone.localdate() + dt.timedelta(days=80),
    )
    first = suspension.review_deadline
    assert first is not None
    with pytest.raises(CaseError, match=services.NOT_CHAIR):
        services.interim_suspension_review(actor=case_officer, case=at_hearing, reasons="Keep.")
    services.interim_suspension_review(actor=chair, case=at_hearing, reasons="Risk continues.")
    suspension.refresh_from_db()
    first.refresh_from_db()
    assert first.status == "closed"
    assert suspension.review_deadline is not None and suspension.review_deadline.status == "open"
    assert suspension.review_deadline.pk != first.pk
    assert Event.objects.filter(kind=EventKind.INTERIM_SUSPENSION_REVIEWED).count() == 1


def test_the_case_page_explains_who_could_not_be_drawn(
    case, case_officer, investigator, pool
) -> None:
    from django.test import Client
    from django.urls import reverse

    Panellist.objects.create(user=investigator, qualification="lay")
    TrainingRecord.objects.create(
        user=investigator,
        course="Panel member induction",
        completed_on=timezone.localdate(),
        expires_on=timezone.localdate() + dt.timedelta(days=300),
    )
    case_assign(actor=None, case=case, user=investigator, role=Assignment.Role.INVESTIGATOR)
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    case = walk(case, case_officer, *TO_HEARING)
    panel = services.panel_draw(actor=case_officer, case=case, kind="hearing", seed=8)
    assert panel.excluded[str(investigator.pk)] == "investigated the case"
    client = Client()
    client.login(username=case_officer.username, password=PASSWORD)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Ivo Brandt: investigated the case" in page


def test_constituting_draws_once_then_fills_an_empty_seat(at_hearing, case_officer) -> None:
    panel, drawn = services.panel_constitute(actor=case_officer, case=at_hearing, kind="hearing")
    assert drawn and Event.objects.filter(kind=EventKind.PANEL_DRAWN).count() == 1
    seat = panel.seats.filter(is_chair=False)[0]
    case_recuse(actor=seat.user, case=at_hearing, reasons="I know the complainant.")
    same, drawn_again = services.panel_constitute(
        actor=case_officer, case=at_hearing, kind="hearing"
    )
    assert same.pk == panel.pk and not drawn_again
    assert Event.objects.filter(kind=EventKind.PANEL_MEMBER_ADDED).count() == 1
