"""Meeting packs, scheduling and the tracker: one rule each in `reporting.access`, and every
refusal of them in the interference register (issue 22, item 4)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client

from fairhearing.accounts.models import Role
from fairhearing.conftest import make_user, signed_in
from fairhearing.oversight.models import AccessAttempt
from fairhearing.reporting.access import (
    NOT_A_SCHEDULER,
    may_edit_tracker,
    may_schedule_meetings,
    require_meeting_scheduler,
)
from fairhearing.reporting.models import Meeting

pytestmark = pytest.mark.django_db

MEETING = {"title": "Board", "held_on": "2027-01-20", "pack_days_before": 5}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_only_administrators_schedule_meetings(organisation, role) -> None:
    user = make_user(organisation, "u", role)
    assert may_schedule_meetings(user) is (role == Role.ADMINISTRATOR)
    if role == Role.ADMINISTRATOR:
        require_meeting_scheduler(user)
    else:
        with pytest.raises(PermissionDenied, match=NOT_A_SCHEDULER):
            require_meeting_scheduler(user)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_administrators_and_the_governing_body_edit_the_tracker(organisation, role) -> None:
    user = make_user(organisation, "u", role)
    assert may_edit_tracker(user) is (role in {Role.ADMINISTRATOR, Role.GOVERNING_BODY})


def test_nobody_signed_out_schedules_or_edits() -> None:
    assert not may_schedule_meetings(AnonymousUser()) and not may_edit_tracker(AnonymousUser())


@pytest.mark.parametrize("role", [Role.GOVERNING_BODY, Role.OVERSIGHT])
def test_a_meeting_scheduled_by_a_pack_reader_is_refused_and_recorded(organisation, role) -> None:
    user = make_user(organisation, "u", role)
    client = signed_in(user)
    page = client.get("/packs/")
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    response = client.post("/packs/", MEETING)
    assert response.status_code == 403 and NOT_A_SCHEDULER in response.content.decode()
    assert not Meeting.objects.exists()
    attempt = AccessAttempt.objects.get()
    assert (attempt.user, attempt.action, attempt.path) == (user, "page", "/packs/")
    assert attempt.organisation_id == organisation.pk


def test_the_administrator_is_offered_the_form_and_not_recorded(organisation) -> None:
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR)
    client = signed_in(admin)
    assert 'name="title"' in client.get("/packs/").content.decode()
    assert client.post("/packs/", MEETING).status_code == 302
    assert Meeting.objects.count() == 1 and not AccessAttempt.objects.exists()


def test_the_public_tracker_offers_editing_to_editors_only(organisation, case_officer) -> None:
    governing = make_user(organisation, "gideon", Role.GOVERNING_BODY)
    link = "/recommendations/import/"
    assert link in signed_in(governing).get("/recommendations/").content.decode()
    assert link not in signed_in(case_officer).get("/recommendations/").content.decode()
    assert link not in Client().get("/recommendations/").content.decode()
