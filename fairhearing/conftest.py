"""Shared fixtures: a fictional organisation, its staff, and a factory for complaints."""

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from fairhearing.accounts.models import Role, User
from fairhearing.cases.models import AllegationType, Case, Channel, Complaint
from fairhearing.core.testing.pages import PASSWORD
from fairhearing.core.testing.second_factor import client_login_verified, device_for
from fairhearing.demo.data import TO_HEARING  # noqa: F401 - shared by tests
from fairhearing.demo.panels import panel_ready_for
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.ledger.maintenance import ledger_wipe
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.services import organisation_create
from fairhearing.panels.models import TrainingRecord
from fairhearing.people.services import PersonDetails
from fairhearing.workflow.services import case_transition


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.UPLOAD_STAGING_ROOT = tmp_path / "staged"
    # Most tests keep their data in a transaction that is never committed, which a real
    # standby cannot see: `replica_reads()` reads from default unless a test (one that commits
    # and waits for replay, core/tests/test_replica.py) turns the replica back on.
    settings.READ_REPLICA = None


@pytest.fixture(autouse=True)
def _client_login_verified(monkeypatch: Any) -> None:
    """`Client.login()`/`force_login()` sign in with both factors (the user is given an
    authenticator app if they have none); accounts/tests post the forms to test the steps."""
    monkeypatch.setattr(Client, "_login", client_login_verified)


@pytest.fixture
def ledger_teardown(transactional_db: None) -> Iterator[None]:
    """For tests that commit: empty the append-only ledger (a deliberate, documented bypass,
    see ledger/maintenance.py) before Django's flush, which the triggers would refuse."""
    yield
    ledger_wipe()


@pytest.fixture
def organisation(db: None) -> Organisation:
    return organisation_create(actor=None, name="Northfield Cooperative League", slug="northfield")


def make_user(organisation: Organisation, username: str, role: str, **extra: Any) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@northfield.invalid",
        role=role,
        organisation=organisation,
        **extra,
    )
    TrainingRecord.objects.create(
        user=user,
        course="Complaints handling",
        completed_on=dt.date(2026, 1, 10),
        expires_on=dt.date(2030, 1, 10),
    )
    device_for(user)  # an authenticator app, set up (the second sign-in step)
    return user


@pytest.fixture
def case_officer(organisation: Organisation) -> User:
    return make_user(
        organisation, "olwen", Role.CASE_OFFICER, first_name="Olwen", last_name="Tarrant"
    )


@pytest.fixture
def investigator(organisation: Organisation) -> User:
    return make_user(organisation, "ivo", Role.INVESTIGATOR, first_name="Ivo", last_name="Brandt")


@pytest.fixture
def governing_member(organisation: Organisation) -> User:
    return make_user(organisation, "gwen", Role.GOVERNING_BODY)


ComplaintFactory = Callable[..., Complaint]


@pytest.fixture
def make_complaint(organisation: Organisation) -> ComplaintFactory:
    def factory(
        *,
        actor: Any = None,
        respondents: tuple[str, ...] = ("Rowan Ashby",),
        category: str = "bullying",
        channel: str = Channel.WEB,
        summary: str = "A post in the branch group on 3 March.",
        conduct_date: dt.date = dt.date(2026, 3, 3),
    ) -> Complaint:
        return complaint_record(
            actor=actor,
            organisation=organisation,
            channel=channel,
            complainant=PersonDetails(full_name="Priya Callender", email="priya@example.invalid"),
            respondents=[PersonDetails(full_name=name) for name in respondents],
            allegation=AllegationDetails(
                allegation_type=AllegationType.POST,
                category=category,
                description="Posted a cartoon demeaning a minority.",
                conduct_date=conduct_date,
            ),
            summary=summary,
        )

    return factory


@pytest.fixture
def case(make_complaint: ComplaintFactory) -> Case:
    return make_complaint().cases.get()


def hearing_took_place(case: Case) -> None:
    """Stand in for the weeks between scheduling a hearing and holding it: a scheduled hearing
    is moved to a minute ago (a hearing can be recorded as held only once its time has come)."""
    case.refresh_from_db()
    if case.hearing_at is not None and case.hearing_at > timezone.now():
        Case.objects.filter(pk=case.pk).update(hearing_at=timezone.now() - dt.timedelta(minutes=1))
        case.refresh_from_db()


def walk(case: Case, actor: Any, *transitions: str) -> Case:
    """Take a case through transitions with stock reasons; returns it refreshed.

    Where a transition needs a panel, the fictional pool is set up, a panel drawn, every
    member affirms, and (for decisions) votes for the transition.
    """
    for transition in transitions:
        if transition == "hearing_held":
            hearing_took_place(case)
        panel_ready_for(case, actor, transition, password=PASSWORD)
        case_transition(
            actor=actor,
            case=case,
            transition=transition,
            reasons=f"Reasons for {transition}.",
            rule_applied="Rulebook v1",
            sanction="formal_warning",
        )
    case.refresh_from_db()
    return case


def signed_in(user: User) -> Client:
    """A test client signed in as this user, with both factors (see _client_login_verified)."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


# CI runs the property tests on fixed examples, so a landing never depends on luck; local runs
# keep drawing new ones.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_report_header(config: Any) -> str:
    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def _site_language() -> Any:
    """Each test starts, and leaves the thread, in the site's own language: a request the
    test client makes in Welsh (LocaleMiddleware activates it for the thread) must not carry
    into the next test's forms and messages."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
