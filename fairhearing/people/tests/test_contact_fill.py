"""A complaint naming a member already on record fills in the email and postal address their
record lacks, on the ledger; a detail on record is never overwritten. One at a time
(`person_find_or_create`) and in a batch (`people_find_or_create`), the same."""

import pytest
from django.utils import timezone

from fairhearing.cases.models import AllegationType, Channel
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.ledger.models import Event, EventKind
from fairhearing.people.models import Person, person_hash
from fairhearing.people.services import (
    PersonDetails,
    people_find_or_create,
    person_find_or_create,
)

pytestmark = pytest.mark.django_db

ADDRESS = " 4 Mill Lane \n\n Northfield NF1 2AB "


@pytest.fixture
def member(organisation) -> Person:
    return person_find_or_create(
        organisation=organisation,
        details=PersonDetails(full_name="Rowan Ashby", membership_number="NCL-1001"),
    )


def named(*, email: str = "", postal_address: str = "") -> PersonDetails:
    return PersonDetails(
        full_name="Rowan Ashby",
        membership_number="NCL-1001",
        email=email,
        postal_address=postal_address,
    )


def filled_events() -> list[Event]:
    return list(Event.objects.filter(kind=EventKind.CONTACT_DETAILS_FILLED).order_by("seq"))


def test_a_member_on_record_gets_the_email_and_address_they_lacked(
    organisation, member, case_officer
) -> None:
    found = person_find_or_create(
        actor=case_officer,
        organisation=organisation,
        details=named(email="rowan@example.invalid", postal_address=ADDRESS),
    )
    assert found.pk == member.pk
    member.refresh_from_db()
    assert member.email == "rowan@example.invalid"
    assert member.email_hash == person_hash("email", "rowan@example.invalid")
    assert member.postal_address == "4 Mill Lane\nNorthfield NF1 2AB"
    [event] = filled_events()
    assert event.actor_id == case_officer.pk and event.case_id is None
    assert event.payload == {
        "person": member.pk,
        "filled": ["email", "postal_address"],
        "email_hash": member.email_hash,
    }
    assert "rowan@" not in event.canonical and "Mill Lane" not in event.canonical


def test_details_on_record_are_kept_and_nothing_is_recorded(organisation, member) -> None:
    Person.objects.filter(pk=member.pk).update(
        email="rowan@example.invalid", postal_address="4 Mill Lane"
    )
    person_find_or_create(
        organisation=organisation,
        details=named(email="someone.else@example.invalid", postal_address="9 Other Road"),
    )
    member.refresh_from_db()
    assert (member.email, member.postal_address) == ("rowan@example.invalid", "4 Mill Lane")
    assert filled_events() == []


def test_only_what_is_missing_is_filled(organisation, member) -> None:
    Person.objects.filter(pk=member.pk).update(email="rowan@example.invalid")
    person_find_or_create(
        organisation=organisation,
        details=named(email="someone.else@example.invalid", postal_address="4 Mill Lane"),
    )
    member.refresh_from_db()
    assert (member.email, member.postal_address) == ("rowan@example.invalid", "4 Mill Lane")
    assert [e.payload["filled"] for e in filled_events()] == [["postal_address"]]
    assert filled_events()[0].payload["email_hash"] == ""


def test_someone_anonymised_is_not_filled_in(organisation, member) -> None:
    Person.objects.filter(pk=member.pk).update(anonymised_at=timezone.now())
    person_find_or_create(organisation=organisation, details=named(email="r@example.invalid"))
    member.refresh_from_db()
    assert member.email == "" and filled_events() == []


def test_a_batch_fills_in_as_one_at_a_time_would(organisation, member) -> None:
    found = people_find_or_create(
        organisation_id=organisation.pk,
        details=[
            named(),  # nothing to fill
            named(email="rowan@example.invalid"),
            PersonDetails(full_name="Ellis Moreno", membership_number="NCL-2002"),  # new
            named(email="other@example.invalid", postal_address=ADDRESS),  # email kept
            PersonDetails(
                full_name="Ellis Moreno",
                membership_number="NCL-2002",
                email="ellis@example.invalid",
            ),  # the new member of this batch, filled in
        ],
    )
    assert [f.filled for f in found] == [(), ("email",), (), ("postal_address",), ("email",)]
    assert found[0].person == found[1].person == found[3].person == member
    member.refresh_from_db()
    assert (member.email, member.postal_address) == (
        "rowan@example.invalid",
        "4 Mill Lane\nNorthfield NF1 2AB",
    )
    ellis = Person.objects.get(pk=found[2].person.pk)
    assert ellis.email == "ellis@example.invalid"
    assert ellis.email_hash == person_hash("email", "ellis@example.invalid")
    assert filled_events() == []  # the caller appends them, in its own order


def test_a_complaint_about_a_member_fills_in_their_email_before_their_case_opens(
    organisation, member
) -> None:
    complaint = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="Priya Callender", email="priya@example.invalid"),
        respondents=[named(email="rowan@example.invalid")],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="bullying",
            description="Posted a cartoon demeaning a minority.",
        ),
        summary="A post in the branch group.",
    )
    case = complaint.cases.get()
    assert case.respondent == member and case.respondent.email == "rowan@example.invalid"
    kinds = [e.kind for e in Event.objects.order_by("seq")]
    filled = kinds.index(EventKind.CONTACT_DETAILS_FILLED)
    assert kinds[filled - 1 : filled + 2] == [
        EventKind.COMPLAINT_RECEIVED,
        EventKind.CONTACT_DETAILS_FILLED,
        EventKind.CASE_OPENED,
    ]
