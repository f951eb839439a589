import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fairhearing.organisations.services import organisation_create


@pytest.mark.django_db
def test_two_organisations_cannot_share_a_reference_prefix(organisation) -> None:
    with pytest.raises(ValidationError, match="already uses this reference prefix"):
        organisation_create(actor=None, name="Southfield", slug="southfield")
    other = organisation_create(
        actor=None, name="Southfield", slug="southfield", reference_prefix="SF"
    )
    assert other.reference_prefix == "SF"


@pytest.mark.django_db(transaction=True)
def test_the_counters_move_to_rows_of_their_own_and_numbering_goes_on(ledger_teardown) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from fairhearing.cases.services import references_take
    from fairhearing.organisations.models import Organisation, ReferenceCounter

    executor = MigrationExecutor(connection)
    executor.migrate([("organisations", "0002_reference_prefix_unique")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO organisations_organisation (name, slug, reference_prefix, "
            "next_complaint_number, next_case_number, created_at) "
            "VALUES ('Counting League', 'counting', 'CL', 7, 12, CURRENT_TIMESTAMP)"
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    organisation = Organisation.objects.get(slug="counting")
    assert dict(ReferenceCounter.objects.values_list("name", "next")) == {
        "next_complaint_number": 7,
        "next_case_number": 12,
    }
    at = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    assert references_take(organisation, "next_complaint_number", at, "C", 2) == [
        "CLC-2026-00007",
        "CLC-2026-00008",
    ]
    assert references_take(organisation, "next_case_number", at, "", 1) == ["CL-2026-00012"]
    ReferenceCounter.objects.all().delete()
    organisation.delete()
