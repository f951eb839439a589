"""Setting up from the shell (docs/deploy.md, "First start"): the organisation, then staff
accounts, each password checked by the site's validators."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fairhearing.accounts.models import User
from fairhearing.ledger.models import Event, EventKind
from fairhearing.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def add(monkeypatch, password: str, *extra: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command(
        "staff",
        "add",
        "casey",
        "--organisation",
        "eastmoor",
        "--email",
        "casey@eastmoor.example",
        "--name",
        "Casey Marlow",
        "--password-stdin",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_an_organisation_and_its_first_officer(monkeypatch) -> None:
    out = io.StringIO()
    call_command(
        "organisation",
        "create",
        "--name",
        "Eastmoor Tenants Union",
        "--slug",
        "eastmoor",
        "--prefix",
        "ET",
        stdout=out,
    )
    assert "created eastmoor" in out.getvalue()
    organisation = Organisation.objects.get(slug="eastmoor")
    assert organisation.current_rulebook() is not None
    assert "added casey (Case officer)" in add(
        monkeypatch, "a long and unusual passphrase", "--role", "case_officer"
    )
    user = User.objects.get(username="casey")
    assert (user.organisation, user.role, user.get_full_name()) == (
        organisation,
        "case_officer",
        "Casey Marlow",
    )
    assert user.check_password("a long and unusual passphrase")
    event = Event.objects.get(kind=EventKind.STAFF_ACCOUNT_CREATED)
    assert event.payload == {
        "user": user.pk,
        "role": "case_officer",
        "organisation": organisation.pk,
    }
    assert "passphrase" not in str(event.payload)


def test_a_weak_password_or_an_unknown_organisation_is_refused(monkeypatch) -> None:
    with pytest.raises(CommandError, match="no organisation"):
        add(monkeypatch, "a long and unusual passphrase", "--role", "case_officer")
    call_command("organisation", "create", "--name", "Eastmoor", "--slug", "eastmoor")
    with pytest.raises(CommandError, match=r"too short|too common"):
        add(monkeypatch, "password", "--role", "case_officer")
    assert not User.objects.filter(username="casey").exists()
    with pytest.raises(CommandError, match="Slug already exists"):
        call_command("organisation", "create", "--name", "Again", "--slug", "eastmoor")
