from dataclasses import dataclass

from fairhearing.core.bulk import insert_many
from fairhearing.organisations.models import Branch, Organisation

from .models import Person, person_hash


@dataclass(frozen=True)
class PersonDetails:
    full_name: str
    email: str = ""
    is_member: bool = False
    membership_number: str = ""
    branch_name: str = ""
    kind: str = Person.Kind.INDIVIDUAL


def person_find_or_create(*, organisation: Organisation, details: PersonDetails) -> Person:
    """The member with this membership number, or a new person record.

    Without a membership number nobody is matched by name: two people may share one.
    """
    number = details.membership_number.strip()
    if number:
        existing = Person.objects.filter(
            organisation=organisation,
            membership_number_hash=person_hash("membership_number", number),
        ).first()
        if existing is not None:
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
        is_member=details.is_member or bool(number),
        membership_number=number,
        branch=branch,
    )


def people_find_or_create(
    *, organisation_id: int, details: list[PersonDetails], check: bool = True
) -> list[Person]:
    """`person_find_or_create` for each of `details` in turn, with a few statements for all:
    the members found by one query on their numbers' hashes, branches found or made once
    each, and the new people inserted together. As in turn, a later entry with the number of
    an earlier new person is that person. `check=False` when the caller has already run
    each person's field checks (`person_from_details(...).full_clean`)."""
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
    found: list[Person] = []
    for entry, number in zip(details, numbers, strict=True):
        key = person_hash("membership_number", number) if number else ""
        if key and key in members:
            found.append(members[key])
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
            is_member=entry.is_member or bool(number),
            membership_number=number,
            branch=branch,
        )
        if check:
            person.full_clean(exclude=["organisation", "branch"], validate_constraints=False)
        person.refresh_hashes()  # insert_many does not call save()
        made.append(person)
        found.append(person)
        if key:
            members[key] = person
    insert_many(made)
    return found
