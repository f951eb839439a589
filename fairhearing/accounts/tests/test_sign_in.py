from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fairhearing.accounts.models import SignInFailure
from fairhearing.accounts.services import LOCKED_OUT, MAX_PER_USERNAME
from fairhearing.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_signing_in_works(case_officer) -> None:
    response = sign_in(Client(), case_officer.username, PASSWORD)
    assert response.status_code == 302


def test_a_wrong_password_is_refused_and_counted(case_officer) -> None:
    response = sign_in(Client(), case_officer.username, "wrong-password")
    assert response.status_code == 200
    assert "Enter a correct username and password." in response.content.decode()
    assert SignInFailure.objects.filter(username=case_officer.username).count() == 1


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(case_officer) -> None:
    client = Client()
    for _ in range(MAX_PER_USERNAME):
        sign_in(client, case_officer.username, "guess")
    response = sign_in(client, case_officer.username, PASSWORD)
    assert response.status_code == 200  # refused, not signed in
    assert LOCKED_OUT in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_account_is_not_locked_by_someone_elses_failures(
    case_officer, investigator
) -> None:
    for _ in range(MAX_PER_USERNAME):
        sign_in(Client(), case_officer.username, "guess")
    assert sign_in(Client(), investigator.username, PASSWORD).status_code == 302
