from dataclasses import dataclass

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
