"""Who records a complaint for someone else: one rule in `intake.access`, for the staff page
and the API, and every refusal of it in the interference register (issue 22, item 4)."""

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from fairhearing.accounts.models import Role
from fairhearing.api.services import api_token_create
from fairhearing.cases.models import Complaint
from fairhearing.conftest import make_user, signed_in
from fairhearing.intake.access import (
    ONLY_CASE_OFFICERS,
    ONLY_CASE_OFFICERS_OTHER_CHANNELS,
    complaint_recorder,
    complaint_submitter,
)
from fairhearing.intake.tests.test_complaint_record import BY_PHONE
from fairhearing.ledger.models import Event, EventKind
from fairhearing.oversight.models import AccessAttempt

pytestmark = pytest.mark.django_db

OTHER_ROLES = [r.value for r in Role if r != Role.CASE_OFFICER]
COMPLAINT = {
    "complainant": {"full_name": "Priya Callender"},
    "respondents": [{"full_name": "Rowan Ashby", "membership_number": "M4471"}],
    "allegation": {
        "allegation_type": "share",
        "category": "antisemitism",
        "description": "Re-shared a post blaming a minority.",
    },
}


def api_post(user, body) -> Any:
    _, clear = api_token_create(actor=None, user=user, name="t", scopes=["complaints:submit"])
    return Client().post(
        "/api/v1/complaints",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {clear}"},
    )


def test_a_case_officer_records_for_their_organisation(organisation, case_officer) -> None:
    assert complaint_recorder(case_officer) == organisation
    for channel in ("web", "phone", "post", "email", "in_person"):
        assert complaint_submitter(case_officer, channel) == organisation


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused_recording(organisation, role) -> None:
    user = make_user(organisation, "nosy", role)
    with pytest.raises(PermissionDenied, match=ONLY_CASE_OFFICERS):
        complaint_recorder(user)
    with pytest.raises(PermissionDenied, match=ONLY_CASE_OFFICERS_OTHER_CHANNELS):
        complaint_submitter(user, "phone")
    # Through the web, as the public form takes it, any account may submit.
    assert complaint_submitter(user, "web") == organisation


def test_no_organisation_or_no_sign_in_is_refused(organisation) -> None:
    stray = make_user(organisation, "stray", Role.CASE_OFFICER)
    stray.organisation = None
    for user in (stray, AnonymousUser()):
        with pytest.raises(PermissionDenied, match=ONLY_CASE_OFFICERS):
            complaint_recorder(user)
        with pytest.raises(PermissionDenied, match=ONLY_CASE_OFFICERS_OTHER_CHANNELS):
            complaint_submitter(user, "post")


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.PANEL_MEMBER, Role.ADMINISTRATOR])
def test_the_page_refusal_is_in_the_register(organisation, role) -> None:
    user = make_user(organisation, "nosy", role)
    url = reverse("intake:record")
    response = signed_in(user).post(url, BY_PHONE)
    assert response.status_code == 403 and ONLY_CASE_OFFICERS in response.content.decode()
    attempt = AccessAttempt.objects.get()
    assert (attempt.user, attempt.role, attempt.action, attempt.path) == (user, role, "page", url)
    assert attempt.organisation_id == organisation.pk
    assert Event.objects.filter(kind=EventKind.ACCESS_REFUSED, actor_id=user.pk).count() == 1
    assert Complaint.objects.count() == 0


def test_the_api_refusal_is_in_the_register(organisation, investigator) -> None:
    response = api_post(investigator, {**COMPLAINT, "channel": "phone"})
    assert response.status_code == 403
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("forbidden", ONLY_CASE_OFFICERS_OTHER_CHANNELS)
    attempt = AccessAttempt.objects.get()
    assert (attempt.user, attempt.action, attempt.path) == (
        investigator,
        "api",
        "/api/v1/complaints",
    )
    assert attempt.organisation_id == organisation.pk
    assert Complaint.objects.count() == 0


def test_what_is_allowed_is_not_recorded(investigator, case_officer) -> None:
    assert api_post(investigator, COMPLAINT).status_code == 201  # the web channel
    assert api_post(case_officer, {**COMPLAINT, "channel": "phone"}).status_code == 201
    assert signed_in(case_officer).get(reverse("intake:record")).status_code == 200
    assert Complaint.objects.count() == 2 and not AccessAttempt.objects.exists()
