"""The team's workload: who holds the open cases, how long they have waited at their stage,
and breaches and closures week by week; counts only, for case officers and oversight."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.cases.models import Case
from fairhearing.conftest import make_user, signed_in, walk
from fairhearing.deadlines.models import Deadline
from fairhearing.reporting.workload import workload
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db


def test_caseload_ageing_and_weeks_count_what_they_say(
    organisation, make_complaint, case_officer, investigator
) -> None:
    first, second, third = (make_complaint(respondents=(n,)).cases.get() for n in "ABC")
    for case in (first, second):
        case_assign(actor=None, case=case, user=case_officer, role="case_officer")
    case_assign(actor=None, case=second, user=investigator, role="investigator")
    walk(first, case_officer, "acknowledge")
    # The second case has waited seven weeks at its stage, its time limit long breached.
    Case.objects.filter(pk=second.pk).update(
        stage_entered_at=timezone.now() - dt.timedelta(weeks=7)
    )
    Deadline.objects.filter(case=second, status="open").update(
        due_at=timezone.now() - dt.timedelta(days=3)
    )
    load = workload(organisation.pk)

    by_name = {o.name: o for o in load.officers}
    olwen = by_name[case_officer.get_full_name() or case_officer.username]
    assert (olwen.open_cases, olwen.overdue) == (2, 1)
    assert by_name[investigator.get_full_name() or investigator.username].open_cases == 1
    assert load.unassigned == 1  # the third

    stages = {s.stage: s for s in load.stages}
    assert stages["received"].counts == [1, 0, 1, 0]  # the third today, the second 7 weeks
    assert stages["acknowledged"].total == 1
    assert [s.label for s in load.stages][:2] == ["Received", "Acknowledged"]

    assert sum(w.opened for w in load.weeks) == 3
    assert sum(w.breached for w in load.weeks) == 1
    assert (
        load.weeks[-1].starts_on
        <= timezone.localdate()
        < load.weeks[-1].starts_on + dt.timedelta(days=7)
    )
    assert third.pk  # unassigned


def test_the_page_shows_charts_with_their_tables_and_names_no_party(
    organisation, make_complaint, case_officer
) -> None:
    case = make_complaint(respondents=("Rowan Ashby",)).cases.get()
    case_assign(actor=None, case=case, user=case_officer, role="case_officer")
    page = signed_in(case_officer).get(reverse("reporting:workload"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") == 4 and html.count("<table") == 3
    assert "Rowan Ashby" not in html and "Priya Callender" not in html


@pytest.mark.parametrize("role", [Role.GOVERNING_BODY, Role.PANEL_MEMBER, Role.ADMINISTRATOR])
def test_others_are_refused(organisation, role) -> None:
    user = make_user(organisation, "other", role)
    assert signed_in(user).get(reverse("reporting:workload")).status_code == 403
