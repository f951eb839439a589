"""The case page's "Next step": what the stage allows, in the rulebook's order, the possible
first and the blocked with why, read with the same checks a decision runs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fairhearing.conftest import PASSWORD, TO_HEARING, signed_in, walk
from fairhearing.demo.panels import panel_decide, panel_pool_ensure, panel_prepare
from fairhearing.workflow.services import case_schedule_hearing, case_transition
from fairhearing.workflow.steps import VERIFYING, next_steps

pytestmark = pytest.mark.django_db


def keys(moves) -> list[str]:
    return [m.key for m in moves]


def test_a_new_case_expects_its_acknowledgement(case) -> None:
    steps = next_steps(case)
    assert steps.expected is not None and steps.expected.key == "acknowledge"
    assert steps.blocked == [] and steps.prepare == "" and steps.waiting == ""


def test_at_the_hearing_the_panel_comes_first_then_the_hearing_then_its_record(
    case, case_officer, organisation
) -> None:
    panel_pool_ensure(organisation, password=PASSWORD)
    case = walk(case, case_officer, *TO_HEARING)
    steps = next_steps(case)
    assert steps.prepare == "draw_hearing" and steps.expected is None
    assert "hearing_held" in keys(b.transition for b in steps.blocked)

    panel_prepare(case, case_officer)
    steps = next_steps(case)
    assert steps.prepare == "schedule"
    (held,) = [b for b in steps.blocked if b.transition.key == "hearing_held"]
    assert held.why.startswith("Schedule the hearing")

    when = timezone.now() + dt.timedelta(days=21)
    case_schedule_hearing(actor=case_officer, case=case, hearing_at=when)
    case.refresh_from_db()
    steps = next_steps(case)
    assert steps.prepare == ""
    (held,) = [b for b in steps.blocked if b.transition.key == "hearing_held"]
    assert f"{timezone.localtime(when):%-d %B %Y}" in held.why  # "scheduled for ..."

    # Once held, the decision waits for the panel's vote; the majority's is then expected.
    case = walk(case, case_officer, "hearing_held")
    steps = next_steps(case)
    blocked = {b.transition.key: b.why for b in steps.blocked}
    assert "votes its quorum needs" in blocked["decide_upheld"]
    panel_decide(case, case_officer, "decide_not_upheld")
    steps = next_steps(case)
    assert steps.expected is not None and steps.expected.key == "decide_not_upheld"
    assert (
        "majority did not vote" in {b.transition.key: b.why for b in steps.blocked}["decide_upheld"]
    )


def test_a_decision_held_for_verification_says_what_it_waits_for(
    make_complaint, case_officer, organisation
) -> None:
    panel_pool_ensure(organisation, password=PASSWORD)
    case = walk(make_complaint(category="antisemitism").cases.get(), case_officer, *TO_HEARING)
    case_schedule_hearing(
        actor=case_officer, case=case, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    case = walk(case, case_officer, "hearing_held")
    panel_decide(case, case_officer, "decide_upheld", sanction="formal_warning")
    case_transition(
        actor=case_officer,
        case=case,
        transition="decide_upheld",
        reasons="Proven on the evidence.",
        rule_applied="CC-1.3",
        sanction="formal_warning",
    )
    case.refresh_from_db()
    assert case.stage == "verification"
    assert next_steps(case).waiting == VERIFYING
    html = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    assert VERIFYING.replace("'", "&#x27;") in html.content.decode()


def test_the_case_page_shows_the_expected_step_as_its_button(case, case_officer) -> None:
    html = (
        signed_in(case_officer).get(reverse("cases:detail", args=[case.reference])).content.decode()
    )
    expected = reverse("cases:transition", args=[case.reference, "acknowledge"])
    assert f'id="expected-action" href="{expected}"' in html
    assert 'id="next-step-heading">Next step<' in html


def test_where_the_stage_offers_a_choice_none_is_pressed_on_the_officer(case, case_officer) -> None:
    # At assessment (no further action, informal resolution or investigate) and at the charge
    # decision, the decisions are listed as equals: no button leans on one of them.
    case = walk(case, case_officer, "acknowledge", "begin_assessment")
    steps = next_steps(case)
    assert steps.expected is None
    assert keys(steps.possible) == [
        "assess_no_further_action",
        "assess_informal_resolution",
        "assess_investigate",
    ]
    assert steps.others == steps.possible
