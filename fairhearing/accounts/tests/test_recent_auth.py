"""Sensitive actions ask for the password and a code again after 15 minutes."""

import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role, SignInFailure
from fairhearing.accounts.second_factor import require_recent_auth
from fairhearing.accounts.services import LOCKED_OUT, MAX_PER_USERNAME
from fairhearing.conftest import PASSWORD, make_user, signed_in
from fairhearing.core.testing.second_factor import code_for
from fairhearing.reporting import views as reporting_views
from fairhearing.webhooks import views as webhook_views

pytestmark = pytest.mark.django_db

# The pages that need a recent sign-in (docs/security.md lists them).
SENSITIVE = [reporting_views.tracker_import_view, webhook_views.delivery_replay_view]
LATER = dt.timedelta(seconds=settings.RECENT_AUTH_MAX_AGE + 60)


@pytest.fixture
def admin(organisation):
    return make_user(organisation, "ada", Role.ADMINISTRATOR)


def reauth_url(next_url: str) -> str:
    return f"{reverse('accounts:reauth')}?next={quote(next_url, safe='')}"


def test_the_sensitive_pages_carry_the_decorator() -> None:
    assert all(getattr(view, "requires_recent_auth", False) for view in SENSITIVE)


def test_a_fresh_sign_in_reaches_a_sensitive_page_and_a_stale_one_is_asked_again(admin) -> None:
    client = signed_in(admin)
    url = reverse("reporting:tracker_import")
    assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + LATER, tick=False):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reauth_url(url)
        page = client.get(response["Location"])
        assert page.status_code == 200 and "Confirm it is you" in page.content.decode()
        # Ordinary pages do not ask.
        assert client.get(reverse("reporting:packs")).status_code == 200
        done = client.post(
            reverse("accounts:reauth"),
            {"password": PASSWORD, "code": code_for(admin), "next": url},
        )
        assert done.status_code == 302 and done["Location"] == url
        assert client.get(url).status_code == 200


def test_re_authentication_needs_both_the_password_and_a_code(admin) -> None:
    client = signed_in(admin)
    url = reverse("reporting:tracker_import")
    with time_machine.travel(timezone.now() + LATER, tick=False):
        wrong_password = client.post(
            reverse("accounts:reauth"), {"password": "guess", "code": code_for(admin), "next": url}
        )
        assert wrong_password.status_code == 400
        wrong_code = client.post(
            reverse("accounts:reauth"), {"password": PASSWORD, "code": "000000x", "next": url}
        )
        assert wrong_code.status_code == 400
        assert SignInFailure.objects.filter(username=admin.username).count() == 2
        assert client.get(url)["Location"] == reauth_url(url)


def test_re_authentication_is_locked_out_like_sign_in(admin) -> None:
    client = signed_in(admin)
    for _ in range(MAX_PER_USERNAME):
        client.post(reverse("accounts:reauth"), {"password": "guess", "code": "1"})
    response = client.post(
        reverse("accounts:reauth"), {"password": PASSWORD, "code": code_for(admin)}
    )
    assert response.status_code == 400 and LOCKED_OUT in response.content.decode()


def test_re_authentication_goes_back_only_to_this_site(admin) -> None:
    client = signed_in(admin)
    response = client.post(
        reverse("accounts:reauth"),
        {"password": PASSWORD, "code": code_for(admin), "next": "//evil.example/steal"},
    )
    assert response["Location"] == reverse("accounts:home")


def test_a_stale_post_is_not_replayed_but_returns_to_the_page_it_came_from(admin) -> None:
    client = signed_in(admin)
    log = reverse("webhooks:log")
    with time_machine.travel(timezone.now() + LATER, tick=False):
        response = client.post(
            reverse("webhooks:replay", args=[999]), HTTP_REFERER=f"http://testserver{log}"
        )
        assert response.status_code == 302
        assert response["Location"] == reauth_url(f"http://testserver{log}")
        foreign = client.post(
            reverse("webhooks:replay", args=[999]), HTTP_REFERER="https://evil.example/"
        )
        assert foreign["Location"] == reauth_url(reverse("accounts:home"))


def test_the_window_can_be_chosen_per_view(rf, admin) -> None:
    from django.http import HttpResponse

    @require_recent_auth(max_age=60)
    def view(request):
        return HttpResponse("ok")

    client = signed_in(admin)
    request = rf.get("/somewhere/")
    request.session = client.session
    request.user = admin
    admin.is_verified = lambda: True  # as OTPMiddleware sets it
    assert view(request).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=120), tick=False):
        assert view(request).status_code == 302


def test_a_user_who_has_not_given_a_code_is_sent_to_the_second_step_first(admin) -> None:
    from django.test import Client

    client = Client()
    client.post(reverse("accounts:login"), {"username": admin.username, "password": PASSWORD})
    response = client.get(reverse("accounts:reauth"))
    assert response["Location"].startswith(reverse("accounts:two_factor"))
