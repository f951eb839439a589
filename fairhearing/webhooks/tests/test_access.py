"""The delivery log and its replay: one rule in `webhooks.access`, every refusal recorded."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from fairhearing.accounts.models import Role
from fairhearing.conftest import make_user, signed_in
from fairhearing.oversight.models import AccessAttempt
from fairhearing.webhooks.access import ONLY_ADMINISTRATORS, delivery_for, delivery_log_reader

pytestmark = pytest.mark.django_db


def test_administrators_read_the_log(organisation) -> None:
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR)
    assert delivery_log_reader(admin) == admin
    with pytest.raises(Http404):  # allowed, but no such delivery in their organisation
        delivery_for(admin, 999)


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.ADMINISTRATOR])
def test_every_other_role_is_refused(organisation, role) -> None:
    user = make_user(organisation, "nosy", role)
    with pytest.raises(PermissionDenied, match=ONLY_ADMINISTRATORS):
        delivery_log_reader(user)
    with pytest.raises(PermissionDenied, match=ONLY_ADMINISTRATORS):
        delivery_for(user, 999)  # refused before anything is looked up
    with pytest.raises(PermissionDenied):
        delivery_log_reader(AnonymousUser())


@pytest.mark.parametrize(
    ("method", "name", "args"), [("get", "webhooks:log", []), ("post", "webhooks:replay", [999])]
)
def test_a_refused_page_is_in_the_register(organisation, case_officer, method, name, args) -> None:
    url = reverse(name, args=args)
    response = getattr(signed_in(case_officer), method)(url)
    assert response.status_code == 403 and ONLY_ADMINISTRATORS in response.content.decode()
    attempt = AccessAttempt.objects.get()
    assert (attempt.user, attempt.action, attempt.path) == (case_officer, "page", url)
    assert attempt.organisation_id == organisation.pk


def test_an_administrator_is_not_recorded(organisation) -> None:
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR)
    client = signed_in(admin)
    assert client.get(reverse("webhooks:log")).status_code == 200
    assert client.post(reverse("webhooks:replay", args=[999])).status_code == 404
    assert not AccessAttempt.objects.exists()
