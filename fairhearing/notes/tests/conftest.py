import pytest

from fairhearing.cases.models import Assignment, Case
from fairhearing.conftest import PASSWORD, walk
from fairhearing.demo.panels import panel_pool_ensure, panel_prepare
from fairhearing.panels.models import Panel
from fairhearing.people.models import Person
from fairhearing.workflow.services import case_assign

TO_NOTICE = ("acknowledge", "begin_assessment", "assess_investigate")


@pytest.fixture
def on_team(case: Case, case_officer) -> Case:
    """The officer's own case, at the notice stage; its respondent signs in by email."""
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    return walk(case, case_officer, *TO_NOTICE)


@pytest.fixture
def panel_member(organisation, case: Case, case_officer):
    """A member seated (and affirmed) on the case's hearing panel: they may open the case."""
    panel_pool_ensure(organisation, password=PASSWORD)
    at_hearing = walk(
        case, case_officer, *TO_NOTICE, "reply_received", "complete_investigation", "refer_to_panel"
    )
    panel_prepare(at_hearing, case_officer)
    panel = Panel.objects.get(case=at_hearing, kind="hearing")
    return panel.seats.filter(is_chair=False).select_related("user")[0].user
