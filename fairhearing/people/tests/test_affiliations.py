"""Affiliations: who belongs to which group, and the conflict a declared interest in that
group makes (R-25)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from fairhearing.cases.access import case_for, cases_visible_to
from fairhearing.cases.models import Assignment, Party
from fairhearing.conftest import PASSWORD, TO_HEARING, walk
from fairhearing.core.errors import CaseError
from fairhearing.demo.panels import panel_pool_ensure
from fairhearing.interests.queries import conflicts_for
from fairhearing.interests.services import interest_declare
from fairhearing.ledger.models import Event, EventKind
from fairhearing.panels.queries import panel_eligibility
from fairhearing.people import services
from fairhearing.people.models import Affiliation, Person
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db
CAUCUS = "Northfield Reform Caucus"
ON = dt.date(2026, 1, 14)


def affiliate(person: Person, actor=None, name: str = CAUCUS, kind: str = "faction"):
    return services.affiliation_record(
        actor=actor,
        person=person,
        kind=kind,
        name=name,
        source="Branch minutes, January meeting",
        source_date=ON,
    )


def test_recording_an_affiliation_is_on_the_ledger_with_its_name_encrypted(
    case, case_officer
) -> None:
    affiliation = services.affiliation_record(
        actor=case_officer,
        person=case.respondent,
        kind="faction",
        name="  Northfield   Reform Caucus ",
        source="Branch minutes",
        source_date=ON,
        case_id=case.pk,
    )
    assert affiliation.name == CAUCUS and affiliation.recorded_by == case_officer
    event = Event.objects.get(kind=EventKind.AFFILIATION_RECORDED)
    assert event.case_id == case.pk and event.payload["affiliation"] == affiliation.pk
    assert "Caucus" not in str(event.payload)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, source FROM people_affiliation")
        stored = cursor.fetchone()
    assert "Caucus" not in stored[0] and "minutes" not in stored[1]
    with pytest.raises(services.AffiliationError, match=services.AFFILIATION_ALREADY):
        affiliate(case.respondent)


@pytest.mark.parametrize(
    ("name", "source", "on", "message"),
    [
        ("", "Minutes", ON, services.AFFILIATION_NEEDS_NAME),
        (CAUCUS, " ", ON, services.AFFILIATION_NEEDS_SOURCE),
        (CAUCUS, "Minutes", dt.date(2099, 1, 1), services.AFFILIATION_SOURCE_DATE),
        ("x" * 201, "Minutes", ON, services.AFFILIATION_NAME_TOO_LONG),
    ],
)
def test_an_affiliation_needs_a_name_a_source_and_a_date_gone_by(
    case, name, source, on, message
) -> None:
    with pytest.raises(services.AffiliationError, match=re.escape(message)):
        services.affiliation_record(
            actor=None,
            person=case.respondent,
            kind="group",
            name=name,
            source=source,
            source_date=on,
        )
    assert not Affiliation.objects.exists()


def test_a_declared_interest_in_the_respondents_faction_keeps_the_declarer_off_the_case(
    case, case_officer
) -> None:
    # Declared in other words' case and spacing: matched on the normalised name.
    interest_declare(actor=case_officer, kind="group", text="northfield  REFORM caucus")
    assert cases_visible_to(case_officer).filter(pk=case.pk).exists()  # not yet on record
    affiliate(case.respondent)
    assert not cases_visible_to(case_officer).filter(pk=case.pk).exists()
    with pytest.raises(Http404):
        case_for(case_officer, case.reference)
    [reason] = conflicts_for(case_officer, case)
    assert reason == (
        "declared an interest in northfield  REFORM caucus, and the respondent, Rowan Ashby, "
        "belongs to it (faction, on record from 14 January 2026)"
    )
    with pytest.raises(CaseError, match="belongs to it"):
        case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)


def test_a_complainants_employer_counts_and_a_witnesss_group_does_not(
    case, case_officer, organisation
) -> None:
    interest_declare(actor=case_officer, kind="organisation", text="Eastmere Housing Trust")
    witness = Person.objects.create(organisation=organisation, full_name="Wendell Ames")
    Party.objects.create(case=case, person=witness, role=Party.Role.WITNESS)
    affiliate(witness, name="Eastmere Housing Trust", kind="employer")
    assert conflicts_for(case_officer, case) == []
    assert cases_visible_to(case_officer).filter(pk=case.pk).exists()
    complainant = case.parties.get(role=Party.Role.COMPLAINANT).person
    affiliate(complainant, name="Eastmere Housing Trust", kind="employer")
    assert "a complainant, Priya Callender, works for it" in conflicts_for(case_officer, case)[0]
    assert not cases_visible_to(case_officer).filter(pk=case.pk).exists()


def test_an_ended_affiliation_no_longer_excludes(case, case_officer) -> None:
    interest_declare(actor=case_officer, kind="group", text=CAUCUS)
    affiliation = affiliate(case.respondent)
    with pytest.raises(services.AffiliationError, match=services.AFFILIATION_END_REASONS):
        services.affiliation_end(actor=case_officer, affiliation=affiliation, reasons=" ")
    services.affiliation_end(
        actor=case_officer, affiliation=affiliation, reasons="Left the caucus in 2025."
    )
    assert conflicts_for(case_officer, case) == []
    assert cases_visible_to(case_officer).filter(pk=case.pk).exists()
    assert Event.objects.filter(kind=EventKind.AFFILIATION_ENDED).count() == 1
    with pytest.raises(services.AffiliationError, match=services.AFFILIATION_ENDED_ALREADY):
        services.affiliation_end(actor=case_officer, affiliation=affiliation, reasons="Again.")


def test_the_case_list_stays_one_query_with_group_interests(
    case, case_officer, make_complaint
) -> None:
    make_complaint(respondents=("Ilse Varga",))
    interest_declare(actor=case_officer, kind="group", text=CAUCUS)
    affiliate(case.respondent)
    visible = cases_visible_to(case_officer)
    with CaptureQueriesContext(connection) as queries:
        references = [c.reference for c in visible]
    assert len(queries) == 1
    assert case.reference not in references and len(references) == 1


def test_a_panellist_with_an_interest_in_the_respondents_group_is_not_drawn(
    case, case_officer, organisation
) -> None:
    pool = panel_pool_ensure(organisation, password=PASSWORD)
    walk(case, case_officer, *TO_HEARING)
    interest_declare(actor=pool[2], kind="group", text=CAUCUS)
    affiliate(case.respondent)
    eligibility = panel_eligibility(case, "hearing")
    assert pool[2].pk not in {p.user_id for p in eligibility.eligible}
    assert "the respondent, Rowan Ashby, belongs to it" in eligibility.excluded[pool[2].pk]
