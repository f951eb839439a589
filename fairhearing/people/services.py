import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation

from fairhearing.core.bulk import insert_many
from fairhearing.core.dates import today, years_ago
from fairhearing.core.errors import CaseError
from fairhearing.core.limits import (
    ADDRESS_MAX,
    AFFILIATION_NAME_MAX,
    EMAIL_MAX,
    NOTE_MAX,
    REASONS_MAX,
)
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.models import Branch, Organisation

from .models import Affiliation, Person, affiliation_hash, name_index_insert, person_hash

AFFILIATION_NEEDS_NAME = "Enter the name of the group, faction or employer."
AFFILIATION_NAME_TOO_LONG = f"The name must be {AFFILIATION_NAME_MAX:,} characters or fewer."
AFFILIATION_NEEDS_SOURCE = "Say where this comes from (a membership list, minutes, a post)."
AFFILIATION_SOURCE_TOO_LONG = f"The source must be {NOTE_MAX:,} characters or fewer."
AFFILIATION_UNKNOWN_KIND = "Choose whether it is a group, a faction, an employer or another body."
AFFILIATION_SOURCE_DATE = "The date of the source must be today or in the past 50 years."
AFFILIATION_ALREADY = "This person already has that affiliation on record."
AFFILIATION_END_REASONS = "Give the reasons for ending the affiliation."
AFFILIATION_ENDED_ALREADY = "This affiliation has already ended."
SOURCE_YEARS = 50


CONTACT_NEEDS_REASONS = "Give the reasons for the change (say where the new details come from)."
CONTACT_UNCHANGED = "Change the email address or the postal address, or both."
CONTACT_EMAIL_INVALID = "Enter an email address like name@example.com."
CONTACT_ADDRESS_TOO_LONG = f"The postal address must be {ADDRESS_MAX:,} characters or fewer."
CONTACT_ANONYMISED = "This person's details were removed under the retention rules."


LANGUAGE_UNKNOWN = "Choose English (en-gb) or Welsh (cy)."


def language_for(person: Person | None) -> str:
    """The language to write to `person` in: the one they chose, else the site's own (staff
    and anyone who chose nothing)."""
    return (person.language if person is not None else "") or settings.LANGUAGE_CODE


@contextmanager
def writing_to(person: Person | None) -> Iterator[None]:
    """Render an email or letter to `person` in their language, as far as the catalogue
    has its words."""
    with translation.override(language_for(person)):
        yield


def person_language_choose(*, person: Person, language: str, case_id: int | None = None) -> bool:
    """Remember the language a party chose to read in (the portal's switch, the API): their
    emails and letters follow it. "" or the site's own language is kept as "". The ledger
    records the change, on the case it was made from; True if it changed."""
    code = "" if language in ("", settings.LANGUAGE_CODE) else language
    if code and code not in dict(settings.LANGUAGES):
        raise CaseError(LANGUAGE_UNKNOWN)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.language == code:
            return False
        previous = locked.language
        Person.objects.filter(pk=person.pk).update(language=code)
        event_append(
            actor=None,
            kind=EventKind.PERSON_LANGUAGE_CHOSEN,
            case_id=case_id,
            payload={"person": person.pk, "from": previous, "to": code},
        )
    person.language = code
    return True


class ContactError(CaseError):
    """A refused change to a person's contact details; the message is for people."""


def address_lines(text: str) -> str:
    """A postal address as the lines of an envelope: each line trimmed, blank lines dropped."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@transaction.atomic
def person_contact_correct(
    *,
    actor: Any,
    person: Person,
    email: str,
    postal_address: str,
    reasons: str,
    case_id: int | None = None,
) -> Person:
    """Add or correct a person's email and postal address, with reasons (R-12: every party
    can be reached). Either may be blank: blank removes it. The ledger keeps which changed and
    the keyed hash of the new email, never the details themselves. `case_id` puts the event
    on the case it was made from."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        raise ContactError(CONTACT_ANONYMISED)
    email, postal_address, reasons = email.strip(), address_lines(postal_address), reasons.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ContactError(CONTACT_EMAIL_INVALID) from None
        if len(email) > EMAIL_MAX:
            raise ContactError(CONTACT_EMAIL_INVALID)
    if len(postal_address) > ADDRESS_MAX:
        raise ContactError(CONTACT_ADDRESS_TOO_LONG)
    if not reasons or len(reasons) > REASONS_MAX:
        raise ContactError(CONTACT_NEEDS_REASONS)
    changed = [
        field
        for field, value in (("email", email), ("postal_address", postal_address))
        if getattr(person, field) != value
    ]
    if not changed:
        raise ContactError(CONTACT_UNCHANGED)
    person.email, person.postal_address = email, postal_address
    person.save(update_fields=changed)
    event_append(
        actor=actor,
        kind=EventKind.CONTACT_DETAILS_CORRECTED,
        case_id=case_id,
        payload={
            "person": person.pk,
            "changed": changed,
            "email_hash": person.email_hash if email else "",
            "has_postal_address": bool(postal_address),
            "reasons_sha256": content_hash(reasons),
        },
    )
    return person


class AffiliationError(CaseError):
    """A refused change to a person's affiliations; the message is for people."""


@dataclass(frozen=True)
class PersonDetails:
    full_name: str
    email: str = ""
    is_member: bool = False
    membership_number: str = ""
    branch_name: str = ""
    kind: str = Person.Kind.INDIVIDUAL
    postal_address: str = ""
    language: str = ""  # the language they chose on the form, "" for the site's own


@dataclass(frozen=True)
class Found:
    """The person found or made for one entry of `people_find_or_create`, and the contact
    details that entry filled in on them (`contact_filled_payload` is its event)."""

    person: Person
    filled: tuple[str, ...] = ()


CONTACT_FIELDS = ("email", "postal_address", "language")


def contact_fill(person: Person, details: PersonDetails) -> list[str]:
    """Fill in, on a person already on record, the contact details they lack from `details`
    (not saved); the fields filled. One on record is kept even where `details` give another:
    a complaint does not overwrite it silently, staff correct it (`person_contact_correct`).
    Someone anonymised under the retention rules is never filled in."""
    if person.anonymised_at is not None:
        return []
    given = {
        "email": details.email.strip(),
        "postal_address": address_lines(details.postal_address),
        # Not a contact detail, but filled the same way: the language a member first chose.
        "language": details.language,
    }
    filled = [field for field in CONTACT_FIELDS if given[field] and not getattr(person, field)]
    for field in filled:
        setattr(person, field, given[field])
    return filled


def contact_filled_payload(person: Person, filled: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The ledger's record of contact details filled in: which, and the keyed hash of the
    email, never the details themselves (as `person_contact_correct` records a correction).
    Only what a later fill cannot change: a batch builds it once all are done."""
    return {
        "person": person.pk,
        "filled": list(filled),
        "email_hash": person.email_hash if "email" in filled else "",
    }


def person_find_or_create(
    *, actor: Any = None, organisation: Organisation, details: PersonDetails
) -> Person:
    """The member with this membership number, or a new person record.

    Without a membership number nobody is matched by name: two people may share one. A member
    found is given the email and postal address from `details` that their record lacks
    (`contact_fill`), recorded as `CONTACT_DETAILS_FILLED` by `actor`.
    """
    number = details.membership_number.strip()
    if number:
        existing = Person.objects.filter(
            organisation=organisation,
            membership_number_hash=person_hash("membership_number", number),
        ).first()
        if existing is not None:
            filled = contact_fill(existing, details)
            if filled:
                existing.full_clean(exclude=["organisation", "branch"], validate_constraints=False)
                existing.save(update_fields=filled)
                event_append(
                    actor=actor,
                    kind=EventKind.CONTACT_DETAILS_FILLED,
                    payload=contact_filled_payload(existing, filled),
                )
            return existing
    branch = None
    if details.branch_name.strip():
        branch, _ = Branch.objects.get_or_create(
            organisation=organisation, name=details.branch_name.strip()
        )
    person = person_from_details(organisation=organisation, details=details, branch=branch)
    # Field checks; the organisation and branch were just found, and the database enforces
    # the membership number's uniqueness (checked above anyway).
    person.full_clean(exclude=["organisation", "branch"], validate_constraints=False)
    person.save()
    return person


def person_from_details(
    *, organisation: Organisation, details: PersonDetails, branch: Branch | None = None
) -> Person:
    """The person `details` describe, not saved (recording saves it; a queued complaint's
    check only validates it)."""
    number = details.membership_number.strip()
    return Person(
        organisation=organisation,
        kind=details.kind,
        full_name=details.full_name.strip(),
        email=details.email.strip(),
        postal_address=address_lines(details.postal_address),
        is_member=details.is_member or bool(number),
        membership_number=number,
        branch=branch,
        language=details.language,
    )


def people_find_or_create(
    *, organisation_id: int, details: list[PersonDetails], check: bool = True
) -> list[Found]:
    """`person_find_or_create` for each of `details` in turn, with a few statements for all:
    the members found by one query on their numbers' hashes, branches found or made once
    each, the new people inserted together and the members given missing contact details
    saved once each. As in turn, a later entry with the number of an earlier new person is
    that person, and fills in what they lack. The caller appends each `Found.filled` as its
    `CONTACT_DETAILS_FILLED` event (`contact_filled_payload`), in its own ledger order.
    `check=False` when the caller has already run each person's field checks
    (`person_from_details(...).full_clean`)."""
    numbers = [d.membership_number.strip() for d in details]
    hashes = {person_hash("membership_number", n) for n in numbers if n}
    members = (
        {
            person.membership_number_hash: person
            for person in Person.objects.filter(
                organisation_id=organisation_id, membership_number_hash__in=hashes
            )
        }
        if hashes
        else {}
    )
    branches: dict[str, Branch] = {}
    made: list[Person] = []
    found: list[Found] = []
    refilled: dict[Person, set[str]] = {}  # members on record given contact details
    for entry, number in zip(details, numbers, strict=True):
        key = person_hash("membership_number", number) if number else ""
        if key and key in members:
            person = members[key]
            filled = contact_fill(person, entry)
            if filled:
                if check:
                    person.full_clean(
                        exclude=["organisation", "branch"], validate_constraints=False
                    )
                person.refresh_hashes()
                if person.pk is not None:  # one made by this batch is inserted below
                    refilled.setdefault(person, set()).update(filled)
            found.append(Found(person, tuple(filled)))
            continue
        branch = None
        name = entry.branch_name.strip()
        if name:
            if name not in branches:
                branches[name], _ = Branch.objects.get_or_create(
                    organisation_id=organisation_id, name=name
                )
            branch = branches[name]
        person = Person(
            organisation_id=organisation_id,
            kind=entry.kind,
            full_name=entry.full_name.strip(),
            email=entry.email.strip(),
            postal_address=address_lines(entry.postal_address),
            is_member=entry.is_member or bool(number),
            membership_number=number,
            branch=branch,
            language=entry.language,
        )
        if check:
            person.full_clean(exclude=["organisation", "branch"], validate_constraints=False)
        person.refresh_hashes()  # insert_many does not call save()
        made.append(person)
        found.append(Found(person))
        if key:
            members[key] = person
    insert_many(made)
    name_index_insert(made)  # insert_many does not call save() either
    for person, fields in refilled.items():
        person.save(update_fields=sorted(fields))
    return found


@transaction.atomic
def affiliation_record(
    *,
    actor: Any,
    person: Person,
    kind: str,
    name: str,
    source: str,
    source_date: dt.date,
    case_id: int | None = None,
) -> Affiliation:
    """Record that `person` belongs to a group, faction, employer or other body, with where
    that comes from and its date. `case_id` puts the event on the case it was recorded from
    (the person's affiliation itself belongs to the person, on every case of theirs)."""
    name, source = " ".join(name.split()), source.strip()
    if kind not in Affiliation.Kind.values:
        raise AffiliationError(AFFILIATION_UNKNOWN_KIND)
    if not name:
        raise AffiliationError(AFFILIATION_NEEDS_NAME)
    if len(name) > AFFILIATION_NAME_MAX:
        raise AffiliationError(AFFILIATION_NAME_TOO_LONG)
    if not source:
        raise AffiliationError(AFFILIATION_NEEDS_SOURCE)
    if len(source) > NOTE_MAX:
        raise AffiliationError(AFFILIATION_SOURCE_TOO_LONG)
    if not years_ago(SOURCE_YEARS)() <= source_date <= today():
        raise AffiliationError(AFFILIATION_SOURCE_DATE)
    if Affiliation.objects.filter(
        person=person, name_hash=affiliation_hash(name), ended_at__isnull=True
    ).exists():
        raise AffiliationError(AFFILIATION_ALREADY)
    affiliation = Affiliation.objects.create(
        person=person,
        kind=kind,
        name=name,
        source=source,
        source_date=source_date,
        recorded_by=actor,
    )
    event_append(
        actor=actor,
        kind=EventKind.AFFILIATION_RECORDED,
        case_id=case_id,
        payload={
            "affiliation": affiliation.pk,
            "person": person.pk,
            "kind": kind,
            "source_date": source_date.isoformat(),
        },
    )
    return affiliation


@transaction.atomic
def affiliation_end(
    *, actor: Any, affiliation: Affiliation, reasons: str, case_id: int | None = None
) -> Affiliation:
    """End an affiliation (the person left, or the record was wrong), with reasons; it no
    longer keeps anyone off the person's cases. Kept, never deleted."""
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if affiliation.ended_at is not None:
        raise AffiliationError(AFFILIATION_ENDED_ALREADY)
    reasons = reasons.strip()
    if not reasons or len(reasons) > REASONS_MAX:
        raise AffiliationError(AFFILIATION_END_REASONS)
    affiliation.ended_at, affiliation.ended_by = timezone.now(), actor
    affiliation.end_reasons = reasons
    affiliation.save(update_fields=["ended_at", "ended_by", "end_reasons"])
    event_append(
        actor=actor,
        kind=EventKind.AFFILIATION_ENDED,
        case_id=case_id,
        payload={
            "affiliation": affiliation.pk,
            "person": affiliation.person_id,
            "reasons_sha256": content_hash(reasons),
        },
    )
    return affiliation
