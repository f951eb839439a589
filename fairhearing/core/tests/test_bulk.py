"""core/bulk.py: many rows at once (COPY on PostgreSQL), recorded as `bulk_create` would."""

import pytest
from django.db import IntegrityError, connection, transaction

from fairhearing.core.bulk import copy_rows, insert_many
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.ledger.services import event_append_many
from fairhearing.organisations.models import Branch
from fairhearing.people.models import Person, person_hash

MANY = 30  # above the size where PostgreSQL switches to COPY


@pytest.mark.django_db
def test_insert_many_saves_what_save_would(organisation) -> None:
    branch = Branch(organisation=organisation, name="Northgate")
    people = [
        Person(
            organisation=organisation,
            branch=branch,  # saved after it was assigned: its key is taken at insert time
            full_name=f"Avery Quill {i}",
            email=f"avery{i}@example.org",
            membership_number=f"M-{i:04d}",
        )
        for i in range(MANY)
    ]
    branch.save()
    for person in people:
        person.refresh_hashes()
    made = insert_many(people)

    assert made is people
    keys = [p.pk for p in people]
    assert None not in keys and keys == sorted(keys) and len(set(keys)) == MANY
    assert all(not p._state.adding for p in people)
    back = {p.pk: p for p in Person.objects.filter(pk__in=keys)}
    for person in people:
        stored = back[person.pk]
        assert stored.full_name == person.full_name
        assert stored.email == person.email
        assert stored.branch_id == branch.pk
        assert stored.created_at == person.created_at
        assert stored.membership_number_hash == person_hash(
            "membership_number", person.membership_number
        )
    with connection.cursor() as cursor:  # the column holds ciphertext, not the name
        cursor.execute("SELECT full_name FROM people_person WHERE id = %s", [keys[0]])
        (raw,) = cursor.fetchone()
    assert raw and "Avery" not in raw


@pytest.mark.django_db
def test_insert_many_then_save_updates_the_same_row(organisation) -> None:
    people = [Person(organisation=organisation, full_name=f"Rowan Fitch {i}") for i in range(MANY)]
    insert_many(people)
    people[3].full_name = "Rowan Fitch the third"
    people[3].save()
    assert Person.objects.filter(organisation=organisation).count() == MANY
    assert Person.objects.get(pk=people[3].pk).full_name == "Rowan Fitch the third"


@pytest.mark.django_db
def test_a_refused_row_raises_djangos_error_and_writes_nothing(organisation) -> None:
    Branch.objects.create(organisation=organisation, name="Eastfield")
    rows = [(organisation.pk, f"Branch {i}") for i in range(MANY)] + [
        (organisation.pk, "Eastfield")  # unique per organisation: the whole insert fails
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_rows(Branch._meta.db_table, ["organisation_id", "name"], rows)
    assert list(Branch.objects.values_list("name", flat=True)) == ["Eastfield"]


@pytest.mark.django_db(transaction=True)
def test_many_ledger_events_chain_and_verify(ledger_teardown) -> None:
    with transaction.atomic():
        made = event_append_many(
            actor=None,
            events=[
                (EventKind.DOSSIER_FINISHED, None, {"dossier": i, "note": "ünïcode \x00 gone"})
                for i in range(MANY)
            ],
        )
    assert [e.seq for e in made] == list(range(made[0].seq, made[0].seq + MANY))
    stored = list(Event.objects.filter(seq__gte=made[0].seq).order_by("seq"))
    assert [(e.hash, e.payload) for e in stored] == [(e.hash, e.payload) for e in made]
    assert stored[0].payload == {"dossier": 0, "note": "ünïcode  gone"}
    assert ledger_verify().ok
