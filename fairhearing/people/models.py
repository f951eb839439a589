from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from fairhearing.core.crypto import (
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedTextField,
    keyed_hash,
)
from fairhearing.core.limits import ADDRESS_MAX, AFFILIATION_NAME_MAX, NOTE_MAX

# The keyed hash (core/crypto.py) kept beside each encrypted value that is looked up.
HASHED = {
    "full_name": "full_name_hash",
    "email": "email_hash",
    "membership_number": "membership_number_hash",
}


def person_hash(field: str, value: str) -> str:
    """The lookup hash of `value` as field `field` would hold it (for `filter(<field>_hash=)`)."""
    return keyed_hash(value, purpose=f"people.Person.{field}")


class PersonQuerySet(models.QuerySet["Person"]):
    def update(self, **kwargs: Any) -> int:
        """Keeps the lookup hashes in step when a hashed value is set by `update()`."""
        for field, hash_field in HASHED.items():
            if isinstance(kwargs.get(field), str):
                kwargs[hash_field] = person_hash(field, kwargs[field])
        return super().update(**kwargs)


class Person(models.Model):
    """Anyone a case is about or from: a member, a member of the public or an organisation.

    Name, email, postal address and membership number are encrypted (R-60). Each but the
    address has a keyed hash of its normalised form for exact lookups: the membership number
    (matching and uniqueness), the name (conflicts of interest, duplicate detection) and the
    email (subject access).
    """

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        ORGANISATION = "organisation", "Organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="people"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    full_name = EncryptedCharField(max_length=200)
    full_name_hash = models.CharField(max_length=64, blank=True, editable=False)
    email = EncryptedEmailField(blank=True)
    email_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Where letters go when there is no email (or as well): lines as the envelope shows them.
    postal_address = EncryptedTextField(blank=True, validators=[MaxLengthValidator(ADDRESS_MAX)])
    is_member = models.BooleanField(default=False)
    membership_number = EncryptedCharField(max_length=40, blank=True)
    membership_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    branch = models.ForeignKey(
        "organisations.Branch", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when retention anonymised this person (retention/services.py).
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "membership_number_hash"],
                condition=~models.Q(membership_number_hash=""),
                name="person_unique_membership_hash",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "full_name_hash"], name="person_name_hash"),
            models.Index(fields=["organisation", "email_hash"], name="person_email_hash"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_hashes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {HASHED[f] for f in update_fields if f in HASHED}
            kwargs["update_fields"] = list(dict.fromkeys([*update_fields, *extra]))
        super().save(*args, **kwargs)

    def refresh_hashes(self) -> None:
        for field, hash_field in HASHED.items():
            setattr(self, hash_field, person_hash(field, getattr(self, field) or ""))


def affiliation_hash(name: str) -> str:
    """The lookup hash of a group's name (case, accents' forms and spaces aside): what a
    declared interest in a group or organisation is matched against."""
    return keyed_hash(name, purpose="people.Affiliation.name")


class Affiliation(models.Model):
    """A group, faction, employer or other body a person belongs to, as a source recorded it.

    A declared interest in a group or organisation of the same name (matched by the keyed
    hash of the normalised name) keeps its declarer off cases whose respondent or
    complainant has an affiliation that has not ended (interests/queries.py). The name is
    encrypted like a person's: membership of a faction can be a political opinion.
    """

    class Kind(models.TextChoices):
        GROUP = "group", "Group"
        FACTION = "faction", "Faction"
        EMPLOYER = "employer", "Employer"
        OTHER = "other", "Other body"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="affiliations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = EncryptedCharField(max_length=AFFILIATION_NAME_MAX)
    name_hash = models.CharField(max_length=64, editable=False)
    source = EncryptedCharField(max_length=NOTE_MAX, help_text="Where this was learned")
    source_date = models.DateField(help_text="The date the source gives")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reasons = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["name_hash", "person"], name="affiliation_name_person"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name_hash=""), name="affiliation_named"),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | ~models.Q(end_reasons=""),
                name="affiliation_ended_with_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_hash = affiliation_hash(self.name or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = [*update_fields, "name_hash"]
        super().save(*args, **kwargs)
