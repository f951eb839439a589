import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fairhearing.conftest import PASSWORD, TO_HEARING, signed_in, walk
from fairhearing.demo.panels import panel_pool_ensure, panel_prepare
from fairhearing.oversight.models import AccessAttempt
from fairhearing.panels.models import Panel, Vote
from fairhearing.panels.services import panel_draw
from fairhearing.workflow.services import case_schedule_hearing

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(organisation, case, case_officer) -> Panel:
    panel_pool_ensure(organisation, password=PASSWORD)
    walk(case, case_officer, *TO_HEARING)
    return panel_draw(actor=case_officer, case=case, kind="hearing", seed=21)


def test_a_member_lists_affirms_and_then_reads_the_case(panel) -> None:
    seat = panel.seats.all()[0]
    client = signed_in(seat.user)
    page = client.get(reverse("panels:seats")).content.decode()
    assert panel.case.reference in page and "Check for conflicts" in page
    case_url = reverse("cases:detail", args=[panel.case.reference])
    # Not before affirming: sent to affirm, told why (not a bare "not found").
    before = client.get(case_url, follow=True)
    assert before.redirect_chain == [(reverse("panels:affirm", args=[seat.pk]), 302)]
    assert "Before you read the case, confirm that you have no conflict" in before.content.decode()
    page = client.get(reverse("panels:affirm", args=[seat.pk])).content.decode()
    assert panel.case.respondent.full_name in page  # to check for conflicts
    response = client.post(reverse("panels:affirm", args=[seat.pk]))
    assert response.status_code == 302 and response["Location"] == case_url
    assert client.get(case_url).status_code == 200


def test_a_vote_is_shown_in_the_rulebooks_words(panel, case_officer) -> None:
    case = panel.case
    panel_prepare(case, case_officer)
    case_schedule_hearing(
        actor=case_officer, case=case, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    walk(case, case_officer, "hearing_held")
    seat = panel.seats.all()[0]
    client = signed_in(seat.user)
    url = reverse("panels:vote", args=[seat.pk])
    client.post(url, {"transition": "decide_not_upheld", "sanction": "", "reasons": "Unproven."})
    spec = case.rulebook.spec
    label = spec.transitions["decide_not_upheld"].label
    page = client.get(url).content.decode()
    assert f"You voted: {label}" in page and "decide_not_upheld" not in page
    case_page = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    text = case_page.content.decode()
    assert label in text
    assert "Transition(" not in text and "decide_not_upheld<" not in text


def test_another_members_seat_is_not_reachable_and_the_attempt_recorded(panel) -> None:
    mine, theirs = panel.seats.all()[0], panel.seats.all()[1]
    client = signed_in(mine.user)
    for name in ("panels:affirm", "panels:vote"):
        before = AccessAttempt.objects.count()
        assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
        assert AccessAttempt.objects.count() == before + 1
    theirs.refresh_from_db()
    assert theirs.affirmed_at is None


def test_a_member_votes_once_with_reasons(panel, case_officer) -> None:
    case = panel.case
    panel_prepare(case, case_officer)
    case_schedule_hearing(
        actor=case_officer, case=case, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    walk(case, case_officer, "hearing_held")
    seat = panel.seats.all()[0]
    client = signed_in(seat.user)
    url = reverse("panels:vote", args=[seat.pk])
    response = client.post(url, {"transition": "decide_upheld", "sanction": "", "reasons": ""})
    assert response.status_code == 400
    assert "Give the reasons for your vote." in response.content.decode()
    response = client.post(
        url, {"transition": "decide_upheld", "sanction": "formal_warning", "reasons": "Proven."}
    )
    assert response.status_code == 302
    assert Vote.objects.get(seat=seat).sanction == "formal_warning"
    page = client.get(url).content.decode()
    assert "A vote cannot be changed." in page


def test_the_chair_records_an_interim_suspension(panel, case_officer) -> None:
    panel_prepare(panel.case, case_officer)
    chair = panel.seats.get(is_chair=True).user
    url = reverse("panels:interim_suspension", args=[panel.case.reference])
    ends = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = signed_in(chair).post(url, {"reasons": "Risk to members.", "ends_on": ends})
    assert response.status_code == 302
    page = (
        signed_in(chair).get(reverse("cases:detail", args=[panel.case.reference])).content.decode()
    )
    assert "Interim suspension in force" in page


def test_a_member_who_is_not_chair_cannot_suspend(panel, case_officer) -> None:
    panel_prepare(panel.case, case_officer)
    member = panel.seats.filter(is_chair=False)[0].user
    url = reverse("panels:interim_suspension", args=[panel.case.reference])
    ends = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = signed_in(member).post(url, {"reasons": "x", "ends_on": ends})
    assert response.status_code == 400
    assert "Only the chair" in response.content.decode()
    assert not panel.case.interim_suspensions.exists()


def test_the_case_officer_draws_the_panel_from_the_case_page(
    organisation, case, case_officer
) -> None:
    panel_pool_ensure(organisation, password=PASSWORD)
    walk(case, case_officer, *TO_HEARING)
    page = (
        signed_in(case_officer).get(reverse("cases:detail", args=[case.reference])).content.decode()
    )
    assert "Draw the hearing panel" in page
    response = signed_in(case_officer).post(
        reverse("panels:draw", args=[case.reference, "hearing"])
    )
    assert response.status_code == 302
    assert Panel.objects.filter(case=case, kind="hearing").count() == 1
    bad = signed_in(case_officer).post(reverse("panels:draw", args=[case.reference, "tribunal"]))
    assert bad.status_code == 404
