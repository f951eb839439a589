import unicodedata
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.utils import timezone

from fairhearing.core.bulk import copy_rows
from fairhearing.core.crypto import (
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedTextField,
    keyed_digests,
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


# The blind index of names (docs/data-protection.md, "Finding people by part of a name"):
# every word of a person's name is indexed by each of its prefixes from NAME_PREFIX_MIN
# letters to NAME_PREFIX_MAX, as a keyed digest. Three letters, because shorter prefixes
# ("jo", "ma") would each match a large share of any membership, reveal more (fewer
# possible values to guess) and add rows for nothing a search could use; at most sixteen,
# because a longer word is told apart by its first sixteen letters anyway.
NAME_PREFIX_MIN = 3
NAME_PREFIX_MAX = 16
_APOSTROPHES = frozenset("'\u2019\u02bc")


def name_words(value: str, *, parts: bool = True) -> list[str]:
    """The words of a name as the index compares them: case-folded, accents dropped (NFKD,
    combining marks removed), split at anything that is not a letter. A word written with an
    apostrophe counts joined up ("O'Brien": "obrien"), and with `parts` each part too
    ("o", "brien"): a name is indexed with its parts, a search looks for the joined word."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", value.casefold()) if not unicodedata.combining(c)
    )
    words: list[str] = []
    chunk: list[str] = []  # the letters and apostrophes of the word being read
    for c in [*plain, " "]:
        if unicodedata.category(c)[0] in "LM" or (c in _APOSTROPHES and chunk):
            chunk.append(c)
            continue
        pieces = "".join(ch if ch not in _APOSTROPHES else " " for ch in chunk).split()
        if len(pieces) > 1:
            words.append("".join(pieces))
            if parts:
                words.extend(pieces)
        else:
            words.extend(pieces)
        chunk = []
    return words


def name_prefix_digests(organisation_id: int, prefixes: list[str]) -> list[int]:
    """The index's digests of these prefixes in this organisation's people: the same prefix
    digests differently in each organisation, so people are not linked across them."""
    return keyed_digests(prefixes, purpose=f"people.NameToken.{organisation_id}")


def name_digests(organisation_id: int, full_name: str) -> set[int]:
    """Every digest the index holds for a person of this name."""
    prefixes = {
        word[:length]
        for word in name_words(full_name)
        for length in range(NAME_PREFIX_MIN, min(len(word), NAME_PREFIX_MAX) + 1)
    }
    return set(name_prefix_digests(organisation_id, sorted(prefixes)))


def name_index_insert(people: Iterable["Person"]) -> None:
    """Index the names of people who have no tokens yet (just inserted), in one statement
    (COPY on PostgreSQL). Someone anonymised is never indexed."""
    copy_rows(
        NameToken._meta.db_table,
        ["digest", "person_id"],
        [
            (digest, person.pk)
            for person in people
            if person.anonymised_at is None
            for digest in name_digests(person.organisation_id, person.full_name or "")
        ],
    )


def name_index_replace(person_ids: list[int]) -> None:
    """Index these people afresh from their names as stored (after a change of name, or
    their anonymisation, which leaves them out of the index)."""
    NameToken.objects.filter(person_id__in=person_ids).delete()
    name_index_insert(
        Person.objects.filter(pk__in=person_ids, anonymised_at__isnull=True).only(
            "pk", "organisation_id", "full_name", "anonymised_at"
        )
    )


class PersonQuerySet(models.QuerySet["Person"]):
    def update(self, **kwargs: Any) -> int:
        """Keeps the lookup hashes and the name index in step when a hashed value, a name or
        the anonymisation is set by `update()`."""
        for field, hash_field in HASHED.items():
            if isinstance(kwargs.get(field), str):
                kwargs[hash_field] = person_hash(field, kwargs[field])
        if "full_name" not in kwargs and "anonymised_at" not in kwargs:
            return super().update(**kwargs)
        with transaction.atomic(savepoint=False):
            person_ids = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            name_index_replace(person_ids)
        return count


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
    # The language they chose to be written to in (settings.LANGUAGES: "cy"); "" is the
    # site's own (English). Their emails and letters are written in it, as far as the
    # catalogue goes (issue 25, item 4).
    language = models.CharField(max_length=8, blank=True, default="")
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
        """Saves with the lookup hashes and the name index in step (the index is rewritten
        when the name or the anonymisation may have changed)."""
        self.refresh_hashes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {HASHED[f] for f in update_fields if f in HASHED}
            kwargs["update_fields"] = list(dict.fromkeys([*update_fields, *extra]))
        adding = self._state.adding
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if adding:
                name_index_insert([self])
            elif update_fields is None or {"full_name", "anonymised_at"} & set(update_fields):
                NameToken.objects.filter(person=self).delete()
                name_index_insert([self])

    def refresh_hashes(self) -> None:
        for field, hash_field in HASHED.items():
            setattr(self, hash_field, person_hash(field, getattr(self, field) or ""))


class NameToken(models.Model):
    """One prefix of one word of a person's name, as a keyed digest: the blind index that
    finds people by part of their name without decrypting anyone's (`name_digests`; what it
    reveals: docs/data-protection.md). Derived data, kept in step by `Person.save()`,
    `Person.objects.update()` and `name_index_insert` on the bulk paths."""

    pk = models.CompositePrimaryKey("digest", "person")
    digest = models.BigIntegerField()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.digest:x}"


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
