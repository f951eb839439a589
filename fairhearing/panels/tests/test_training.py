"""Training before assignment (issue 23, item 6; R-64): the courses the rulebook names must be
current before someone joins a case team or is drawn for a panel, refusals say which, and
their holders are told before they expire."""

import copy
import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Assignment
from fairhearing.conftest import make_user, signed_in, walk
from fairhearing.core.errors import CaseError
from fairhearing.demo.panels import panel_pool_ensure
from fairhearing.ledger.models import Event, EventKind
from fairhearing.notifications.models import Notification
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.notifications.services import training_reminders_queue
from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.organisations.services import rulebook_publish
from fairhearing.panels.models import Panellist, TrainingRecord
from fairhearing.panels.queries import panel_eligibility, training_missing
from fairhearing.workflow.services import case_assign, case_assign_refusal

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"
TO_HEARING = (
    "acknowledge",
    "begin_assessment",
    "assess_investigate",
    "reply_received",
    "complete_investigation",
    "refer_to_panel",
)


def held(user, course: str, expires_in_days: int) -> TrainingRecord:
    today = timezone.localdate()
    return TrainingRecord.objects.create(
        user=user,
        course=course,
        completed_on=today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=expires_in_days),
    )


def test_the_case_team_needs_the_named_courses_current(organisation, case) -> None:
    # make_user records "Complaints handling" (to 2030): what the default rulebook names.
    officer = make_user(organisation, "nia", Role.CASE_OFFICER, first_name="Nia", last_name="Cole")
    assert case_assign_refusal(case, officer, Assignment.Role.CASE_OFFICER) is None
    TrainingRecord.objects.filter(user=officer).update(expires_on=dt.date(2026, 3, 3))
    refusal = case_assign_refusal(case, officer, Assignment.Role.CASE_OFFICER)
    assert refusal == (
        "Nia Cole holds no current training of the kinds the rulebook requires (Complaints"
        " handling (expired 3 March 2026)) and cannot be assigned until it is renewed (R-64)."
    )
    with pytest.raises(CaseError, match="Complaints handling"):
        case_assign(actor=None, case=case, user=officer, role=Assignment.Role.CASE_OFFICER)
    # Another course, however current, is not the one named.
    held(officer, "Data protection", 300)
    assert training_missing(officer, ("Complaints handling",)) == [
        "Complaints handling (expired 3 March 2026)"
    ]
    assert training_missing(officer, ("Equality and diversity",)) == [
        "Equality and diversity (none recorded)"
    ]
    # Renewed (the name as people write it): assignable again.
    held(officer, " complaints HANDLING ", 300)
    case_assign(actor=None, case=case, user=officer, role=Assignment.Role.CASE_OFFICER)


def test_a_rulebook_naming_no_course_asks_for_any_current_training(
    organisation, make_complaint
) -> None:
    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["training"] = {"case_team": [], "panel": []}
    rulebook_publish(actor=None, organisation=organisation, definition=definition)
    case = make_complaint().cases.get()
    officer = make_user(organisation, "nia", Role.CASE_OFFICER)
    TrainingRecord.objects.filter(user=officer).update(course="Anything current")
    assert case_assign_refusal(case, officer, Assignment.Role.CASE_OFFICER) is None
    TrainingRecord.objects.filter(user=officer).update(expires_on=dt.date(2026, 1, 1))
    refusal = case_assign_refusal(case, officer, Assignment.Role.CASE_OFFICER) or ""
    assert "(any current training)" in refusal


def test_a_panellist_without_the_induction_is_kept_out_of_the_draw_and_why(
    organisation, case, case_officer
) -> None:
    pool = panel_pool_ensure(organisation, password=PASSWORD)
    at_hearing = walk(case, case_officer, *TO_HEARING)
    lapsed = pool[0]
    TrainingRecord.objects.filter(user=lapsed).update(expires_on=dt.date(2026, 6, 30))
    newcomer = make_user(organisation, "pat", Role.PANEL_MEMBER)  # "Complaints handling" only
    Panellist.objects.create(user=newcomer, qualification="lay")
    eligibility = panel_eligibility(at_hearing, "hearing")
    eligible = {panellist.user_id for panellist in eligibility.eligible}
    assert lapsed.pk not in eligible and newcomer.pk not in eligible
    assert eligibility.excluded[lapsed.pk] == (
        "training not current: Panel member induction (expired 30 June 2026)"
    )
    assert eligibility.excluded[newcomer.pk] == (
        "training not current: Panel member induction (none recorded)"
    )
    assert all(member.pk in eligible for member in pool[1:])


def test_holders_are_told_once_before_required_training_expires(organisation) -> None:
    soon = make_user(organisation, "sam", Role.CASE_OFFICER, first_name="Sam", last_name="Ode")
    TrainingRecord.objects.filter(user=soon).update(
        expires_on=timezone.localdate() + dt.timedelta(days=20)
    )
    held(soon, "Data protection", 10)  # not a course the rulebook names: not mentioned
    renewed = make_user(organisation, "ren", Role.CASE_OFFICER)
    TrainingRecord.objects.filter(user=renewed).update(
        expires_on=timezone.localdate() + dt.timedelta(days=5)
    )
    held(renewed, "Complaints handling", 700)  # renewed already
    later = make_user(organisation, "lat", Role.CASE_OFFICER)  # to 2030: not yet
    gone = make_user(organisation, "gon", Role.CASE_OFFICER)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    TrainingRecord.objects.filter(user=gone).update(
        expires_on=timezone.localdate() + dt.timedelta(days=3)
    )

    assert training_reminders_queue() == 1
    assert training_reminders_queue() == 0  # once
    assert notifications_send_pending() == 1
    [message] = mail.outbox
    assert message.to == ["sam@northfield.invalid"]
    assert message.subject == "Your training for complaints work expires soon"
    expires = timezone.localdate() + dt.timedelta(days=20)
    assert f"- Complaints handling: expires on {expires:%-d %B %Y}" in message.body
    assert "Data protection" not in message.body and "Dear Sam Ode" in message.body
    sent = Notification.objects.get(kind=Notification.Kind.TRAINING_EXPIRING)
    assert sent.status == Notification.Status.SENT
    assert not {renewed.email, later.email, gone.email} & {m.to[0] for m in mail.outbox}


def test_an_administrator_records_a_course_on_the_training_page(organisation, case_officer) -> None:
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR)
    TrainingRecord.objects.filter(user=case_officer).update(expires_on=dt.date(2026, 3, 3))
    client = signed_in(admin)
    url = reverse("panels:training")
    page = client.get(url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Olwen Tarrant Case officer Complaints handling: Expired 3 March 2026 No" in text
    assert "1 person cannot be assigned or drawn" in text

    wrong = client.post(
        url,
        {
            "person": case_officer.pk,
            "course": "Complaints handling",
            "completed_on": "2026-11-30",
            "expires_on": "2026-11-30",
        },
    )
    assert wrong.status_code == 400
    # Already expired: it would count for nothing.
    assert "The date it expires must be" in wrong.content.decode()
    assert not Event.objects.filter(kind=EventKind.TRAINING_RECORDED).exists()  # nothing kept

    done = client.post(
        url,
        {
            "person": case_officer.pk,
            "course": "  Complaints   handling ",
            "completed_on": "2026-11-30",
            "expires_on": "2028-11-30",
        },
        follow=True,
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", done.content.decode()))
    assert "Complaints handling recorded for Olwen Tarrant." in text
    assert "Complaints handling: Current to 30 November 2028 Yes" in text
    event = Event.objects.get(kind=EventKind.TRAINING_RECORDED)
    assert event.actor_id == admin.pk and event.payload["user"] == case_officer.pk

    # Nobody else keeps them: refused, and recorded in the interference register.
    assert signed_in(case_officer).get(url).status_code == 403
