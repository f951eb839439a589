"""The benchmark data generator makes cases that the system itself would have made."""

import pytest
from django.core.management import call_command

from fairhearing.cases.models import Case, StageChange
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.organisations.models import Organisation
from fairhearing.reporting.queries import period_figures, period_of

pytestmark = pytest.mark.django_db


def test_generated_cases_are_whole_and_their_ledger_verifies(capsys) -> None:
    call_command("bench", "generate", "--cases", "300", "--quiet")
    assert "generated 300 cases" in capsys.readouterr().out
    organisation = Organisation.objects.get(slug="bench")
    cases = Case.objects.filter(organisation=organisation)
    assert cases.count() == 300
    assert ledger_verify().ok
    assert Event.objects.filter(kind=EventKind.CASE_OPENED).count() == 300
    assert Event.objects.filter(kind=EventKind.CASE_TRANSITIONED).count() == (
        StageChange.objects.count()
    )
    spec = organisation.current_rulebook().spec
    stages = set(cases.values_list("stage", flat=True))
    assert len(stages) >= 5  # spread over the lifecycle
    for case in cases.prefetch_related("stage_changes"):
        changes = sorted(case.stage_changes.all(), key=lambda c: c.at)
        stage = spec.first_stage
        for change in changes:  # each step is a real transition from where the case was
            assert change.from_stage == stage
            assert spec.transitions[change.transition].target == change.to_stage
            stage = change.to_stage
        assert case.stage == stage
        assert (case.closed_at is not None) == (case.stage == "closed")
        assert case.allegations.count() == 1 and case.parties.count() == 1
    # The statistics read it like any other data.
    first = cases.order_by("opened_at")[0]
    figures = period_figures(organisation, period_of(first.opened_at.date()))
    assert figures is not None
