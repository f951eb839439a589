"""Sessions end after 30 minutes idle and 8 hours in all."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.middleware import AGE_MESSAGE, IDLE_MESSAGE
from fairhearing.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_settings_say_so() -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_thirty_minutes_idle_signs_the_user_out(case_officer) -> None:
    client = signed_in(case_officer)
    assert client.get(reverse("cases:list")).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31), tick=False):
        response = client.get(reverse("cases:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        page = client.get(response["Location"]).content.decode()
        assert IDLE_MESSAGE in page
        assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive_but_not_beyond_eight_hours(case_officer) -> None:
    client = signed_in(case_officer)
    start = timezone.now()
    minutes = 0
    while minutes < 8 * 60 - 25:
        minutes += 25
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("cases:list")).status_code == 200, minutes
    with time_machine.travel(start + dt.timedelta(minutes=8 * 60 + 1), tick=False):
        response = client.get(reverse("cases:list"))
        assert response.status_code == 302
        assert AGE_MESSAGE in client.get(response["Location"]).content.decode()


def test_a_signed_out_session_goes_on_reading_public_pages(case_officer) -> None:
    client = signed_in(case_officer)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=9), tick=False):
        assert client.get(reverse("reporting:list")).status_code == 200
        assert "_auth_user_id" not in client.session
