"""A legal hold's review date: when it comes, the case officers are told once (by the worker's
sweep), it is on the ledger, and the hold shows as due on its page and on the data-protection
page until it is reviewed (a new date, told of in its turn) or lifted.

Checked that they can fail: without the conditional UPDATE's claim (`review_reminded_on`
never set), `test_the_team_is_told_once_when_the_review_date_comes` failed (a second email);
with `review_due` always False, `test_a_due_hold_shows_on_its_page_and_the_data_protection_page`
failed; restored.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.conftest import make_user, signed_in
from fairhearing.dataprotection.models import LegalHold
from fairhearing.dataprotection.services import (
    legal_hold_lift,
    legal_hold_place,
    legal_hold_review,
    legal_hold_reviews_due,
)
from fairhearing.deadlines.tasks import deadline_sweep_task
from fairhearing.ledger.models import Event, EventKind

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def told() -> list[str]:
    return [str(m.subject) for m in mail.outbox if "review due" in str(m.subject)]


@pytest.fixture
def hold(closed_case, case_officer):
    return legal_hold_place(
        actor=case_officer, case=closed_case, reasons="A claim is pending.", review_on=days(10)
    )


def test_the_team_is_told_once_when_the_review_date_comes(
    hold, closed_case, case_officer, organisation
) -> None:
    other_officer = make_user(organisation, "marcus", Role.CASE_OFFICER)
    make_user(organisation, "ivy", Role.INVESTIGATOR)  # not a case officer: not told
    mail.outbox.clear()
    assert legal_hold_reviews_due(today=days(9)) == 0
    assert told() == []
    assert legal_hold_reviews_due(today=days(10)) == 1
    (message,) = [m for m in mail.outbox if "review due" in str(m.subject)]
    assert message.subject == f"Legal hold on case {closed_case.reference}: review due"
    assert sorted(message.to) == sorted([case_officer.email, other_officer.email])
    assert reverse("dataprotection:hold", args=[closed_case.reference]) in str(message.body)
    event = Event.objects.get(kind=EventKind.LEGAL_HOLD_REVIEW_DUE)
    assert event.case_id == closed_case.pk
    assert event.payload == {"hold": hold.pk, "review_on": days(10).isoformat(), "recipients": 2}
    # Once per date, however often the sweep runs.
    assert legal_hold_reviews_due(today=days(11)) == 0
    assert len(told()) == 1
    # Reviewed after its date, with a new one: told again when that comes, not before.
    next_review = days(30)
    with time_machine.travel(timezone.now() + dt.timedelta(days=12), tick=True):
        legal_hold_review(
            actor=case_officer, hold=hold, reasons="Still pending.", review_on=next_review
        )
    assert legal_hold_reviews_due(today=days(29)) == 0
    assert legal_hold_reviews_due(today=days(30)) == 1
    assert len(told()) == 2


def test_a_lifted_hold_is_never_due(hold, case_officer) -> None:
    legal_hold_lift(actor=case_officer, hold=hold, reasons="The claim was settled.")
    mail.outbox.clear()
    assert legal_hold_reviews_due(today=days(60)) == 0
    assert told() == []
    assert not LegalHold.objects.get(pk=hold.pk).review_due


def test_the_worker_sweep_tells_the_team(hold) -> None:
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + dt.timedelta(days=11), tick=True):
        result = deadline_sweep_task.call()
    assert result["legal_hold_reviews_due"] == 1
    assert len(told()) == 1


def test_a_due_hold_shows_on_its_page_and_the_data_protection_page(
    hold, closed_case, case_officer
) -> None:
    client = signed_in(case_officer)
    hold_page = reverse("dataprotection:hold", args=[closed_case.reference])
    assert 'id="hold-review-due"' not in client.get(hold_page).content.decode()
    listing = client.get(reverse("dataprotection:sar_list")).content.decode()
    assert 'data-testid="holds-due"' not in listing
    LegalHold.objects.filter(pk=hold.pk).update(review_on=days(0))  # the date has come
    assert 'id="hold-review-due"' in client.get(hold_page).content.decode()
    listing = client.get(reverse("dataprotection:sar_list")).content.decode()
    assert 'data-testid="holds-due"' in listing and hold_page in listing
