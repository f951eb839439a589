import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhearing.cases import services
from fairhearing.cases.models import Case, Complaint, StageChange
from fairhearing.conftest import PASSWORD, TO_HEARING, walk
from fairhearing.core.errors import CaseError
from fairhearing.demo.panels import panel_decide, panel_ready_for
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.people.models import Person
from fairhearing.workflow import services as workflow
from fairhearing.workflow.services import case_schedule_hearing, case_transition

pytestmark = pytest.mark.django_db


def schedule_and_hold(case: Case, actor) -> Case:
    case_schedule_hearing(actor=actor, case=case, hearing_at=timezone.now() + dt.timedelta(days=21))
    return walk(case, actor, "hearing_held")


# A path from a new case to the source stage of every transition in the default rulebook.
PATHS = {
    "acknowledge": (),
    "begin_assessment": ("acknowledge",),
    "assess_no_further_action": ("acknowledge", "begin_assessment"),
    "assess_informal_resolution": ("acknowledge", "begin_assessment"),
    "assess_investigate": ("acknowledge", "begin_assessment"),
    "informal_resolved": ("acknowledge", "begin_assessment", "assess_informal_resolution"),
    "informal_failed": ("acknowledge", "begin_assessment", "assess_informal_resolution"),
    "reply_received": ("acknowledge", "begin_assessment", "assess_investigate"),
    "complete_investigation": TO_HEARING[:4],
    "charge_no_further_action": TO_HEARING[:5],
    "refer_to_panel": TO_HEARING[:5],
    "hearing_held": TO_HEARING,
    "decide_upheld": (*TO_HEARING, "hearing_held"),
    "decide_not_upheld": (*TO_HEARING, "hearing_held"),
    "appeal_lodged": (*TO_HEARING, "hearing_held", "decide_upheld"),
    "appeal_dismissed": (*TO_HEARING, "hearing_held", "decide_upheld", "appeal_lodged"),
    "appeal_allowed": (*TO_HEARING, "hearing_held", "decide_upheld", "appeal_lodged"),
    "appeal_sanction_varied": (*TO_HEARING, "hearing_held", "decide_upheld", "appeal_lodged"),
}
TIMED = {"reply_window_elapsed", "appeal_window_closed"}  # tested with the clock below


def reach(case: Case, actor, path: tuple[str, ...]) -> Case:
    for step in path:
        case = schedule_and_hold(case, actor) if step == "hearing_held" else walk(case, actor, step)
    return case


def test_every_transition_of_the_default_rulebook_is_covered() -> None:
    assert {t["key"] for t in DEFAULT_RULEBOOK["transitions"]} == set(PATHS) | TIMED


@pytest.mark.parametrize("transition", sorted(PATHS))
def test_each_transition_moves_the_case_and_writes_its_ledger_event(
    transition: str, case: Case, case_officer
) -> None:
    case = reach(case, case_officer, PATHS[transition])
    move = case.rulebook.spec.transitions[transition]
    before = Event.objects.count()
    if transition == "hearing_held":
        case = schedule_and_hold(case, case_officer)
        change = StageChange.objects.latest("pk")
    else:
        panel_ready_for(case, case_officer, transition, password=PASSWORD)
        change = case_transition(
            actor=case_officer,
            case=case,
            transition=transition,
            reasons="Because the evidence shows it.",
            rule_applied="Code of Conduct CC-1.3",
            sanction="formal_warning",
        )
    case.refresh_from_db()
    assert case.stage == move.target
    assert (change.reasons, change.actor) != ("", None)
    event = Event.objects.filter(kind=EventKind.CASE_TRANSITIONED, case_id=case.pk).latest("seq")
    assert event.payload["transition"] == transition
    assert event.payload["from"] == move.source and event.payload["to"] == move.target
    assert event.payload["stage_change"] == change.pk
    assert event.payload["reasons_sha256"] == content_hash(change.reasons)
    assert event.actor_id == case_officer.pk
    assert Event.objects.count() > before
    if move.closes:
        assert case.outcome == move.outcome and case.closed_at is not None
        assert not case.deadlines.filter(status__in=["open", "paused"]).exists()
    assert ledger_verify().ok


def test_a_move_the_stage_does_not_allow_is_refused_and_writes_nothing(case, case_officer) -> None:
    before = (Event.objects.count(), StageChange.objects.count())
    with pytest.raises(CaseError) as refused:
        case_transition(
            actor=case_officer,
            case=case,
            transition="refer_to_panel",
            reasons="Skip ahead",
            rule_applied="none",
        )
    assert str(refused.value) == services.NOT_ALLOWED_AT_STAGE.format(
        label="Charge decision: refer to a panel", stage="Received"
    )
    case.refresh_from_db()
    assert case.stage == "received"
    assert (Event.objects.count(), StageChange.objects.count()) == before


@pytest.mark.parametrize(
    ("reasons", "rule", "message"),
    [
        ("", "CC-1.1", services.NEEDS_REASONS),
        ("   ", "CC-1.1", services.NEEDS_REASONS),
        ("Clear breach", "", services.NEEDS_RULE),
    ],
)
def test_no_decision_without_reasons_and_the_rule_applied(
    case, case_officer, reasons: str, rule: str, message: str
) -> None:
    case = walk(case, case_officer, "acknowledge", "begin_assessment")
    before = Event.objects.count()
    with pytest.raises(CaseError, match=message):
        case_transition(
            actor=case_officer,
            case=case,
            transition="assess_no_further_action",
            reasons=reasons,
            rule_applied=rule,
        )
    case.refresh_from_db()
    assert (case.stage, case.closed_at) == ("assessment", None)
    assert Event.objects.count() == before


def test_the_database_refuses_a_closed_case_without_an_outcome(case) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(stage="closed", outcome="")


def test_a_closed_case_takes_no_further_action(case, case_officer) -> None:
    case = walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
    with pytest.raises(CaseError, match=services.CASE_CLOSED):
        walk(case, case_officer, "begin_assessment")


def test_an_upheld_decision_needs_a_sanction_from_the_ladder(case, case_officer) -> None:
    case = reach(case, case_officer, PATHS["decide_upheld"])
    panel_decide(case, case_officer, "decide_upheld", sanction="suspension")
    with pytest.raises(CaseError, match=services.NEEDS_SANCTION):
        case_transition(
            actor=case_officer,
            case=case,
            transition="decide_upheld",
            reasons="Proven",
            rule_applied="CC-1.3",
            sanction="lifetime_ban",
        )
    with pytest.raises(CaseError, match="no lifetime bans"):
        case_transition(
            actor=case_officer,
            case=case,
            transition="decide_upheld",
            reasons="Proven",
            rule_applied="CC-1.3",
            sanction="expulsion",
        )
    change = case_transition(
        actor=case_officer,
        case=case,
        transition="decide_upheld",
        reasons="Proven",
        rule_applied="CC-1.3",
        sanction="suspension",
        sanction_ends_on=timezone.localdate() + dt.timedelta(days=180),
    )
    case.refresh_from_db()
    assert (case.stage, case.sanction, change.sanction) == (
        "appeal_window",
        "suspension",
        "suspension",
    )


def test_a_hearing_needs_the_rulebooks_notice(case, case_officer) -> None:
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case = reach(case, case_officer, TO_HEARING)
    with pytest.raises(CaseError, match=services.NEEDS_HEARING):
        walk(case, case_officer, "hearing_held")
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        with pytest.raises(CaseError) as refused:
            case_schedule_hearing(
                actor=case_officer,
                case=case,
                hearing_at=dt.datetime(2026, 12, 14, 10, tzinfo=dt.UTC),
            )
        assert str(refused.value) == (
            "The hearing must be at least 10 working days after the notice: 15 December 2026 at "
            "the earliest."
        )
        case_schedule_hearing(
            actor=case_officer, case=case, hearing_at=dt.datetime(2026, 12, 15, 10, tzinfo=dt.UTC)
        )
    assert Event.objects.filter(case_id=case.pk, kind=EventKind.HEARING_SCHEDULED).count() == 1


def test_a_hearing_notice_by_post_counts_from_when_the_letter_is_served(case, case_officer) -> None:
    # No email: the notice is a letter, deemed served 2 working days after posting (Thursday
    # 3 December, posted on Tuesday the 1st); the 10 working days run from then.
    case = reach(case, case_officer, TO_HEARING)
    assert not case.respondent.email
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        assert workflow.hearing_earliest(case) == dt.date(2026, 12, 17)
        with pytest.raises(CaseError) as refused:
            case_schedule_hearing(
                actor=case_officer,
                case=case,
                hearing_at=dt.datetime(2026, 12, 16, 10, tzinfo=dt.UTC),
            )
        assert str(refused.value) == (
            "The hearing must be on or after 17 December 2026: 10 working days' notice, counted "
            "from when the letter is deemed served, 2 working days after posting."
        )
        case_schedule_hearing(
            actor=case_officer, case=case, hearing_at=dt.datetime(2026, 12, 17, 10, tzinfo=dt.UTC)
        )
    assert Event.objects.filter(case_id=case.pk, kind=EventKind.HEARING_SCHEDULED).count() == 1
    assert case.notifications.filter(kind="hearing_invitation", channel="post").exists()


def test_the_reply_window_must_end_before_investigating_without_a_reply(case, case_officer) -> None:
    start = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        case = walk(case, case_officer, "acknowledge", "begin_assessment", "assess_investigate")
        with pytest.raises(CaseError, match="has not ended yet"):
            walk(case, case_officer, "reply_window_elapsed")
    with time_machine.travel(start + dt.timedelta(days=15), tick=False):
        case = walk(case, case_officer, "reply_window_elapsed")
    assert case.stage == "investigation"


def test_the_appeal_window_must_end_before_the_decision_is_final(case, case_officer) -> None:
    case = reach(case, case_officer, PATHS["appeal_lodged"])
    with pytest.raises(CaseError, match="has not ended yet"):
        walk(case, case_officer, "appeal_window_closed")
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        case = walk(case, case_officer, "appeal_window_closed")
    assert (case.stage, case.outcome) == ("closed", "upheld_sanction_final")


def test_one_complaint_naming_two_people_makes_two_cases(make_complaint) -> None:
    complaint = make_complaint(respondents=("Rowan Ashby", "Tamsin Keogh"))
    cases = list(complaint.cases.order_by("pk"))
    assert [c.respondent.full_name for c in cases] == ["Rowan Ashby", "Tamsin Keogh"]
    assert len({c.reference for c in cases}) == 2
    assert all(c.allegations.count() == 1 and c.parties.count() == 1 for c in cases)
    opened = Event.objects.filter(kind=EventKind.CASE_OPENED)
    assert sorted(e.case_id or 0 for e in opened) == [c.pk for c in cases]
    assert all("Rowan" not in str(e.payload) for e in Event.objects.all())  # no names in clear


def test_a_failed_intake_writes_nothing(make_complaint) -> None:
    with pytest.raises(CaseError, match=services.UNKNOWN_CATEGORY):
        make_complaint(category="not-a-category")
    # Only the organisation's own events: its creation and its rulebook.
    assert (Complaint.objects.count(), Case.objects.count(), Event.objects.count()) == (0, 0, 2)
    # (the one event is the organisation's rulebook being published)


@pytest.mark.parametrize("offset", [dt.timedelta(days=-1), dt.timedelta(days=1)])
def test_a_decision_dated_outside_the_current_stage_is_refused(case, case_officer, offset) -> None:
    when = (case.stage_entered_at if offset.days < 0 else timezone.now()) + offset
    with pytest.raises(CaseError, match=services.DECIDED_AT_OUT_OF_RANGE):
        case_transition(
            actor=case_officer,
            case=case,
            transition="acknowledge",
            reasons="Letter sent.",
            rule_applied="R-02",
            decided_at=when,
        )


def test_limits_run_from_the_date_a_decision_was_taken(make_complaint, case_officer) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False):  # Monday
        case = make_complaint().cases.get()
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC), tick=False):
        case_transition(
            actor=case_officer,
            case=case,
            transition="acknowledge",
            reasons="Letter sent on the Tuesday.",
            rule_applied="R-02",
            decided_at=dt.datetime(2026, 11, 24, 15, tzinfo=dt.UTC),
        )
    assessment = case.deadlines.get(kind="assessment")
    assert timezone.localtime(assessment.started_at).date() == dt.date(2026, 11, 24)
    assert timezone.localtime(assessment.due_at).date() == dt.date(2026, 12, 8)
    acknowledge = case.deadlines.get(kind="acknowledge")
    assert acknowledge.met is True  # decided on day 1 of 3, though recorded a week later
