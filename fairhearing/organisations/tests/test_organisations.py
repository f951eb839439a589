import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.organisations.services import organisation_create, rulebook_publish


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


@pytest.mark.django_db
def test_the_current_rulebook_is_the_latest_published_and_is_read_with_the_organisation(
    organisation, django_assert_num_queries
) -> None:
    import copy

    from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
    from fairhearing.organisations.models import Organisation
    from fairhearing.organisations.services import rulebook_publish

    first = organisation.current_rulebook()
    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["categories"] = definition["categories"][:1]
    second = rulebook_publish(actor=None, organisation=organisation, definition=definition)
    assert (first.version, second.version) == (1, 2)
    assert organisation.current_rulebook() == second  # the instance that published it
    fresh = Organisation.objects.get(pk=organisation.pk)
    assert fresh.current_rulebook() == second
    spec = fresh.current_rulebook_spec()
    assert list(spec.categories) == [definition["categories"][0]["key"]]
    with django_assert_num_queries(0):  # read with the organisation, its reading kept by id
        assert fresh.current_rulebook_spec() is spec


@pytest.mark.django_db
def test_the_migration_points_each_organisation_at_its_latest_rulebook(organisation) -> None:
    import copy
    import importlib

    from django.apps import apps

    from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
    from fairhearing.organisations.models import Organisation
    from fairhearing.organisations.services import rulebook_publish

    migration = importlib.import_module(
        "fairhearing.organisations.migrations.0004_rulebook_current"
    )
    latest = rulebook_publish(
        actor=None, organisation=organisation, definition=copy.deepcopy(DEFAULT_RULEBOOK)
    )
    Organisation.objects.update(rulebook_current=None)
    migration.point_at_latest(apps, None)
    assert Organisation.objects.get(pk=organisation.pk).rulebook_current_id == latest.pk


def test_a_rulebook_id_reused_after_a_rollback_is_read_afresh(organisation) -> None:
    # SQLite gives a rolled-back row's id to the next insert: a reading kept under that id
    # must not outlive the version that was never published.
    from django.db import transaction

    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["categories"] = [c for c in definition["categories"] if c["key"] != "sexism"]
    try:
        with transaction.atomic():
            doomed = rulebook_publish(actor=None, organisation=organisation, definition=definition)
            assert "sexism" not in organisation.current_rulebook_spec().categories
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    organisation.refresh_from_db()
    again = rulebook_publish(actor=None, organisation=organisation, definition=DEFAULT_RULEBOOK)
    assert "sexism" in organisation.current_rulebook_spec().categories
    assert again.pk >= doomed.pk
