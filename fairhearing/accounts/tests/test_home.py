"""After signing in, each role lands where its work is, never on a page that refuses it."""

import pytest
from django.urls import reverse

from fairhearing.conftest import make_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("case_officer", "cases:list"),
        ("investigator", "cases:list"),
        ("panel_member", "panels:seats"),
        ("oversight", "oversight:register"),
        ("governing_body", "reporting:packs"),
        ("administrator", "worker:status"),
    ],
)
def test_each_role_lands_on_its_own_work(organisation, role, home) -> None:
    client = signed_in(make_user(organisation, f"someone-{role}", role))
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response["Location"] == reverse(home)
    assert client.get(response["Location"]).status_code == 200


def test_signing_in_goes_home(settings) -> None:
    assert settings.LOGIN_REDIRECT_URL == "accounts:home"
