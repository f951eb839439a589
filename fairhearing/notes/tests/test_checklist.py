"""Stage checklists: read from the rulebook, ticked and unticked on the record, shown in the
next-step panel with how much is done, and never holding up a decision."""

import copy
import datetime as dt

import pytest
from django.urls import reverse

from fairhearing.conftest import make_user, signed_in, walk
from fairhearing.core.errors import CaseError
from fairhearing.ledger.models import Event, EventKind
from fairhearing.notes import services
from fairhearing.notes.models import ChecklistTick
from fairhearing.notes.queries import checklist_of
from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.organisations.rulebook import RulebookError, RulebookSpec
from fairhearing.workflow.steps import next_steps

pytestmark = pytest.mark.django_db

NOTICE_CHECKS = ["notice_sent", "evidence_disclosed", "support_offered"]


def with_checklists(checklists: dict) -> dict:
    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["checklists"] = checklists
    return definition


def test_the_default_rulebook_has_a_checklist_for_the_notice_stage() -> None:
    spec = RulebookSpec(DEFAULT_RULEBOOK)
    assert [item.key for item in spec.checklist_for("notice")] == NOTICE_CHECKS
    assert spec.checklist_for("received") == ()
    assert (
        spec.check_label("notice", "notice_sent") == "Notice of allegations sent to the respondent"
    )
    assert spec.check_label("hearing", "notice_sent") == ""


@pytest.mark.parametrize(
    ("checklists", "why"),
    [
        ({"nowhere": [{"key": "a", "label": "A"}]}, "not an open stage"),
        ({"closed": [{"key": "a", "label": "A"}]}, "not an open stage"),
        ({"notice": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]}, "twice"),
        ({"notice": [{"key": "Not a key", "label": "A"}]}, "malformed"),
        ({"notice": [{"key": "a", "label": " "}]}, "malformed"),
        ({"notice": [{"label": "A"}]}, "incomplete"),
    ],
)
def test_a_malformed_checklist_is_refused(checklists, why) -> None:
    with pytest.raises(RulebookError, match=why):
        RulebookSpec(with_checklists(checklists))


def test_a_tick_and_an_untick_are_each_on_the_ledger(on_team, case_officer):
    tick = services.checklist_tick(actor=case_officer, case=on_team, key="notice_sent", done=True)
    assert tick is not None and tick.stage == "notice" and tick.by == case_officer
    # Already so: nothing written.
    assert (
        services.checklist_tick(actor=case_officer, case=on_team, key="notice_sent", done=True)
        is None
    )
    services.checklist_tick(actor=case_officer, case=on_team, key="notice_sent", done=False)
    events = Event.objects.filter(
        kind__in=[EventKind.CHECKLIST_TICKED, EventKind.CHECKLIST_UNTICKED]
    ).order_by("seq")
    assert [(EventKind(e.kind).name, e.payload["check"], e.actor_id) for e in events] == [
        ("CHECKLIST_TICKED", "notice_sent", case_officer.pk),
        ("CHECKLIST_UNTICKED", "notice_sent", case_officer.pk),
    ]
    assert [line.done for line in checklist_of(on_team)] == [False, False, False]


def test_a_check_not_on_the_stages_checklist_is_refused(on_team, case_officer):
    with pytest.raises(CaseError, match=services.NOT_ON_CHECKLIST):
        services.checklist_tick(actor=case_officer, case=on_team, key="bundle_sent", done=True)
    assert not ChecklistTick.objects.exists()


def test_a_closed_case_has_no_checklist(case, case_officer):
    closed = walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
    assert checklist_of(closed) == [] and next_steps(closed).checklist == []
    with pytest.raises(CaseError, match=services.CHECKLIST_CLOSED):
        services.checklist_tick(actor=case_officer, case=closed, key="code_checked", done=True)


def test_next_steps_reads_the_checklist_and_never_blocks_on_it(on_team, case_officer):
    steps = next_steps(on_team)
    assert [line.item.key for line in steps.checklist] == NOTICE_CHECKS
    assert steps.checks_progress == "0 of 3 checks done"
    services.checklist_tick(actor=case_officer, case=on_team, key="notice_sent", done=True)
    services.checklist_tick(actor=case_officer, case=on_team, key="support_offered", done=True)
    steps = next_steps(on_team)
    assert steps.checks_progress == "2 of 3 checks done" and steps.checks_left == 1
    # The decision the stage expects is offered all the same.
    assert steps.expected is not None and steps.expected.key == "reply_received"
    walk(on_team, case_officer, "reply_received")  # not held up by the check left


def test_a_fresh_visit_to_a_stage_starts_its_checklist_afresh(on_team, case_officer):
    services.checklist_tick(actor=case_officer, case=on_team, key="notice_sent", done=True)
    on_team.stage_entered_at += dt.timedelta(minutes=5)  # as if sent back to the stage
    assert [line.done for line in checklist_of(on_team)] == [False, False, False]


def test_saving_the_form_keeps_a_colleagues_tick_made_meanwhile(on_team, case_officer):
    colleague = make_user(on_team.organisation, "marcus", "case_officer", first_name="Marcus")
    # The officer's page showed nothing done; meanwhile a colleague ticks the notice.
    services.checklist_tick(actor=colleague, case=on_team, key="notice_sent", done=True)
    changed = services.checklist_update(
        actor=case_officer, case=on_team, done={"evidence_disclosed"}, shown_done=set()
    )
    assert [(t.key, t.done) for t in changed] == [("evidence_disclosed", True)]
    done_by = {line.item.key: line.tick.by for line in checklist_of(on_team) if line.tick}
    assert done_by == {"notice_sent": colleague, "evidence_disclosed": case_officer}


def test_the_next_step_panel_shows_the_checklist_and_saves_it(on_team, case_officer):
    client = signed_in(case_officer)
    url = reverse("cases:detail", args=[on_team.reference])
    page = client.get(url).content.decode()
    assert "Checklist for this stage" in page and "0 of 3 checks done" in page
    assert 'id="expected-action"' in page
    response = client.post(
        reverse("notes:checklist", args=[on_team.reference]),
        {"done": ["notice_sent", "evidence_disclosed"]},
    )
    assert response.status_code == 302 and response["Location"].endswith("#next-step")
    page = client.get(url).content.decode()
    assert "Checklist saved: 2 of 3 checks done." in page
    assert "2 of 3 checks done" in page and 'id="expected-action"' in page
    assert page.count('name="shown_done"') == 2
    assert "Olwen Tarrant" in page


def test_a_check_from_another_stage_is_not_saved(on_team, case_officer):
    response = signed_in(case_officer).post(
        reverse("notes:checklist", args=[on_team.reference]), {"done": ["bundle_sent"]}, follow=True
    )
    assert "The case has moved to another stage" in response.content.decode()
    assert not ChecklistTick.objects.exists()
