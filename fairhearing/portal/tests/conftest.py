import pytest

from fairhearing.cases.models import Case
from fairhearing.conftest import walk
from fairhearing.people.models import Person


@pytest.fixture
def at_notice(case: Case, case_officer) -> Case:
    """A case at the notice stage whose respondent has an email (so signs in by a link)."""
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case.respondent.refresh_from_db()
    return walk(case, case_officer, "acknowledge", "begin_assessment", "assess_investigate")
