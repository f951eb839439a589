"""Field-level encryption (R-60): ciphertext at rest, lookup by keyed hash, online rotation."""

import datetime as dt

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from fairhearing.cases.models import AllegationType, Channel, Complaint, Party
from fairhearing.cases.services import party_protect_identity
from fairhearing.conftest import walk
from fairhearing.core import crypto
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.ledger.models import Event, EventKind
from fairhearing.notifications.models import Notification
from fairhearing.operations.keys import keys_rotate, keys_status
from fairhearing.people.models import NameToken, Person, name_digests, person_hash
from fairhearing.people.services import PersonDetails, person_find_or_create
from fairhearing.portal.services import message_send

NAMES = ["Ysolde Pemberton-Quayle", "Tobiah Grunwald-Essex"]
SECRETS = [
    *NAMES,
    "ysolde.pq@example.invalid",
    "NCL-77123",
    "Called me a slur at the branch social",
    "A long-running pattern of remarks",
    "She fears reprisals at work",
    "Please call me after six",
]


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def dump() -> str:
    """Every row of every table as text: what a stolen database dump shows."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


@pytest.fixture
def recorded(organisation, case_officer):
    complaint = complaint_record(
        actor=case_officer,
        organisation=organisation,
        channel=Channel.EMAIL,
        complainant=PersonDetails(full_name=NAMES[0], email="ysolde.pq@example.invalid"),
        respondents=[PersonDetails(full_name=NAMES[1], membership_number="NCL-77123")],
        allegation=AllegationDetails(
            allegation_type=AllegationType.IN_PERSON,
            category="bullying",
            description="Called me a slur at the branch social",
            conduct_date=dt.date(2026, 3, 3),
        ),
        summary="A long-running pattern of remarks",
    )
    case = complaint.cases.get()
    party = case.parties.get()
    party_protect_identity(actor=case_officer, party=party, reason="She fears reprisals at work")
    message_send(
        case=case,
        party_person=party.person,
        party_role="complainant",
        body="Please call me after six",
    )
    return complaint


def test_rows_hold_ciphertext_and_reads_decrypt(recorded) -> None:
    case = recorded.cases.get()
    person = recorded.complainant
    stored = raw("people_person", "full_name", person.pk)
    assert stored != NAMES[0] and stored.startswith("gAAAA")  # a Fernet token
    assert crypto.decrypt(stored) == NAMES[0]
    assert raw("people_person", "email", person.pk).startswith("gAAAA")
    assert raw("people_person", "membership_number", case.respondent_id).startswith("gAAAA")
    assert raw("cases_complaint", "summary", recorded.pk).startswith("gAAAA")
    allegation = case.allegations.get()
    assert raw("cases_allegation", "description", allegation.pk).startswith("gAAAA")
    party = case.parties.get()
    assert raw("cases_party", "protection_reason", party.pk).startswith("gAAAA")
    # Read back through the models: plaintext.
    person = Person.objects.get(pk=person.pk)
    assert (person.full_name, person.email) == (NAMES[0], "ysolde.pq@example.invalid")
    assert Complaint.objects.get(pk=recorded.pk).summary == "A long-running pattern of remarks"
    assert Party.objects.get(pk=party.pk).protection_reason == "She fears reprisals at work"
    # The same plaintext encrypts differently each time (random IV): no equality leaks.
    assert crypto.encrypt("x") != crypto.encrypt("x")


def test_a_dump_without_the_key_reveals_no_names_or_text(recorded, case_officer) -> None:
    case = recorded.cases.get()
    Person.objects.filter(pk=case.respondent_id).update(email="tobiah@example.invalid")
    walk(
        case, case_officer, "acknowledge", "begin_assessment", "assess_investigate"
    )  # queues the notice
    assert Notification.objects.filter(case=case, kind="notice_of_allegations").exists()
    text = dump()
    assert "tobiah@example.invalid" not in text
    for secret in SECRETS:
        assert secret not in text
        assert secret.lower() not in text.lower()


def test_lookup_by_keyed_hash(recorded, organisation) -> None:
    respondent = recorded.cases.get().respondent
    assert respondent.membership_number_hash == person_hash("membership_number", "NCL-77123")
    assert len(respondent.membership_number_hash) == 64
    # A second complaint about the same member finds them by number (case and spaces aside).
    again = person_find_or_create(
        organisation=organisation,
        details=PersonDetails(full_name="T. Grunwald", membership_number=" ncl-77123 "),
    )
    assert again.pk == respondent.pk
    assert Person.objects.get(full_name_hash=person_hash("full_name", "tobiah  GRUNWALD-essex"))
    assert Person.objects.filter(email_hash=person_hash("email", "YSOLDE.PQ@example.invalid"))
    # The hash needs the key: the bare SHA-256 or HMAC under another key does not match.
    assert respondent.full_name_hash != crypto.keyed_hash(NAMES[1], purpose="other")
    # Uniqueness moved to the hash: the same number twice in one organisation is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            organisation=organisation, full_name="X Y", membership_number="NCL-77123"
        )


def test_encrypted_fields_refuse_meaningless_lookups(recorded) -> None:
    with pytest.raises(FieldError, match="encrypted"):
        list(Person.objects.filter(full_name=NAMES[0]))
    with pytest.raises(FieldError, match="keyed hash"):
        list(Person.objects.filter(**{"full_name__icontains": "Ysolde"}))
    # "Has no email" still works: empty values are stored empty.
    assert Person.objects.filter(email="").filter(pk=recorded.cases.get().respondent_id).exists()
    assert not Person.objects.filter(email="").filter(pk=recorded.complainant_id).exists()


def test_update_keeps_the_hash_in_step(recorded) -> None:
    Person.objects.filter(pk=recorded.complainant_id).update(full_name="Ysolde Quayle")
    person = Person.objects.get(pk=recorded.complainant_id)
    assert person.full_name_hash == person_hash("full_name", "ysolde quayle")
    person.full_name = "Ysolde P. Quayle"
    person.save(update_fields=["full_name"])
    person.refresh_from_db()
    assert person.full_name_hash == person_hash("full_name", "Ysolde P. Quayle")


def test_rotation_re_encrypts_and_the_old_key_can_then_be_dropped(recorded, settings) -> None:
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    before = raw("people_person", "full_name", recorded.complainant_id)
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    # Online: with both keys every value still reads, before and during rotation.
    assert Person.objects.get(pk=recorded.complainant_id).full_name == NAMES[0]
    assert sum(keys_status().values()) > 0
    result = keys_rotate(batch=2)
    assert result.values_rotated >= len(SECRETS) - 1
    assert result.rows_read > 0
    assert sum(keys_status().values()) == 0
    after = raw("people_person", "full_name", recorded.complainant_id)
    assert after != before
    # Running it again changes nothing.
    assert keys_rotate().values_rotated == 0
    # The old key is dropped: everything still reads.
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert Person.objects.get(pk=recorded.complainant_id).full_name == NAMES[0]
    assert Complaint.objects.get(pk=recorded.pk).summary == "A long-running pattern of remarks"
    # ... and the old key alone no longer reads anything.
    settings.FIELD_ENCRYPTION_KEYS = [old]
    with pytest.raises(InvalidToken):
        Person.objects.get(pk=recorded.complainant_id)
    assert Event.objects.filter(kind=EventKind.KEYS_ROTATED).count() == 2


def test_keys_commands(recorded, settings, capsys) -> None:
    call_command("keys", "generate")
    key = capsys.readouterr().out.strip()
    Fernet(key)  # a valid key
    call_command("keys", "generate", "--hash")
    assert len(bytes.fromhex(capsys.readouterr().out.strip())) == 32
    settings.FIELD_ENCRYPTION_KEYS = [key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("keys", "status")
    assert "run `fairhearing keys rotate`" in capsys.readouterr().out
    call_command("keys", "rotate", "--quiet")
    assert "rows/s" in capsys.readouterr().out
    call_command("keys", "status")
    assert "older keys can be removed" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_data_migration_encrypts_existing_rows(ledger_teardown) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("people", "0001_initial")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO organisations_organisation (name, slug, reference_prefix, created_at) "
            "VALUES ('Migrating League', 'migrating', 'ML', CURRENT_TIMESTAMP)"
        )
        cursor.execute("SELECT id FROM organisations_organisation WHERE slug = 'migrating'")
        org = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO people_person (organisation_id, kind, full_name, email, is_member, "
            "membership_number, created_at) VALUES (%s, 'individual', %s, '', true, 'M-1', "
            "CURRENT_TIMESTAMP)",
            [org, NAMES[0]],
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    person = Person.objects.get(organisation_id=org)
    assert person.full_name == NAMES[0] and person.membership_number == "M-1"
    assert raw("people_person", "full_name", person.pk).startswith("gAAAA")
    assert raw("people_person", "email", person.pk) == ""
    assert person.membership_number_hash == person_hash("membership_number", "M-1")
    # people.0007 indexed the name (the blind index of name prefixes) from the plaintext.
    assert set(NameToken.objects.filter(person=person).values_list("digest", flat=True)) == (
        name_digests(org, NAMES[0])
    )
    Person.objects.filter(pk=person.pk).delete()
