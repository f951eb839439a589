import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.conftest import PASSWORD, TO_HEARING, make_user, walk
from fairhearing.core.errors import CaseError
from fairhearing.demo.panels import panel_pool_ensure, panel_ready_for
from fairhearing.ledger.models import Event, EventKind
from fairhearing.oversight.models import Verification
from fairhearing.oversight.services import ONLY_OVERSIGHT_VERIFIES
from fairhearing.panels.models import Panel
from fairhearing.panels.queries import involved_before
from fairhearing.panels.services import panel_draw
from fairhearing.workflow.services import (
    case_schedule_hearing,
    case_transition,
    verification_verify,
    verification_veto,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def oversight(organisation):
    return make_user(organisation, "odile", Role.OVERSIGHT)


def decided(make_complaint, case_officer, category: str):
    case = make_complaint(category=category).cases.get()
    panel_pool_ensure(case.organisation, password=PASSWORD)
    case = walk(case, case_officer, *TO_HEARING)
    case_schedule_hearing(
        actor=case_officer, case=case, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    case = walk(case, case_officer, "hearing_held")
    panel_ready_for(
        case, case_officer, "decide_upheld", password=PASSWORD, sanction="formal_warning"
    )
    case_transition(
        actor=case_officer,
        case=case,
        transition="decide_upheld",
        reasons="Proven.",
        rule_applied="CC-1.3",
        sanction="formal_warning",
    )
    case.refresh_from_db()
    return case


def test_a_decision_in_a_protected_category_is_held(make_complaint, case_officer) -> None:
    case = decided(make_complaint, case_officer, "antisemitism")
    assert (case.stage, case.sanction) == ("verification", "")  # no effect yet
    verification = Verification.objects.get(case=case)
    assert (
        verification.status == "pending" and verification.stage_change.to_stage == "appeal_window"
    )
    assert case.deadlines.filter(kind="verification", status="open").exists()
    assert Event.objects.filter(kind=EventKind.DECISION_HELD, case_id=case.pk).exists()


def test_other_categories_take_effect_at_once(make_complaint, case_officer) -> None:
    case = decided(make_complaint, case_officer, "bullying")
    assert (case.stage, case.sanction) == ("appeal_window", "formal_warning")
    assert not Verification.objects.exists()


def test_verifying_gives_the_decision_its_effect(make_complaint, case_officer, oversight) -> None:
    case = decided(make_complaint, case_officer, "racism")
    verification = Verification.objects.get(case=case)
    with pytest.raises(CaseError, match=ONLY_OVERSIGHT_VERIFIES):
        verification_verify(actor=case_officer, verification=verification, reasons="Fine.")
    verification_verify(actor=oversight, verification=verification, reasons="Sound reasoning.")
    case.refresh_from_db()
    assert (case.stage, case.sanction) == ("appeal_window", "formal_warning")
    assert Event.objects.filter(kind=EventKind.DECISION_VERIFIED, case_id=case.pk).exists()
    with pytest.raises(CaseError, match="already been verified or vetoed"):
        verification_veto(actor=oversight, verification=verification, reasons="Changed my mind.")


def test_a_veto_sends_the_case_to_a_fresh_panel(make_complaint, case_officer, oversight) -> None:
    case = decided(make_complaint, case_officer, "islamophobia")
    first = Panel.objects.get(case=case, kind="hearing")
    first_members = set(first.seats.values_list("user_id", flat=True))
    verification_veto(
        actor=oversight,
        verification=Verification.objects.get(case=case),
        reasons="The panel ignored the context evidence.",
    )
    case.refresh_from_db()
    first.refresh_from_db()
    assert (case.stage, case.sanction, case.hearing_at) == ("hearing", "", None)
    assert first.dissolved_at is not None
    assert first_members <= set(involved_before(case, "hearing"))
    fresh = panel_draw(actor=case_officer, case=case, kind="hearing", seed=77)
    assert not set(fresh.seats.values_list("user_id", flat=True)) & first_members
    assert Event.objects.filter(kind=EventKind.DECISION_VETOED, case_id=case.pk).exists()


def test_oversight_uses_the_verification_page(make_complaint, case_officer, oversight) -> None:
    case = decided(make_complaint, case_officer, "disability")
    client = Client()
    client.login(username=oversight.username, password=PASSWORD)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Verify or veto the decision" in page
    url = reverse("oversight:verification", args=[case.reference])
    assert "Proven." in client.get(url).content.decode()
    assert client.post(url, {"decision": "veto", "reasons": ""}).status_code == 400
    assert client.post(url, {"decision": "veto", "reasons": "Flawed."}).status_code == 302
    assert Verification.objects.get(case=case).status == "vetoed"


def test_a_case_officer_cannot_verify_through_the_page(make_complaint, case_officer) -> None:
    case = decided(make_complaint, case_officer, "sexism")
    client = Client()
    client.login(username=case_officer.username, password=PASSWORD)
    url = reverse("oversight:verification", args=[case.reference])
    response = client.post(url, {"decision": "verify", "reasons": "Looks fine."})
    assert response.status_code == 400
    assert ONLY_OVERSIGHT_VERIFIES in response.content.decode()
    assert Verification.objects.get(case=case).status == "pending"


def test_the_register_lists_held_decisions(make_complaint, case_officer, oversight) -> None:
    case = decided(make_complaint, case_officer, "racism")
    client = Client()
    client.login(username=oversight.username, password=PASSWORD)
    page = client.get(reverse("oversight:register")).content.decode()
    assert case.reference in page and "1 decision held for your verification" in page
    listed = client.get(reverse("oversight:register"), {"kind": "verifications"})
    assert "Awaiting verification" in listed.content.decode()
