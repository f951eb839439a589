import functools

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from .rulebook import RulebookSpec


@functools.lru_cache(maxsize=256)
def _rulebook_spec(pk: int) -> "RulebookSpec":
    return Rulebook.objects.get(pk=pk).spec


def rulebook_readings_forget() -> None:
    """Drop this process's kept readings: called whenever a rulebook is made. An id can come
    back after a rollback (SQLite reuses the highest), and only the process that made the
    rolled-back version could have kept its reading."""
    _rulebook_spec.cache_clear()


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    # References (FH-2026-00001) are unique across the whole system, so each organisation
    # needs its own prefix: two organisations sharing one would collide on their first case.
    reference_prefix = models.CharField(
        max_length=8,
        default="FH",
        unique=True,
        error_messages={"unique": "Another organisation already uses this reference prefix."},
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The latest published rulebook, which new cases open under. Set by `rulebook_publish`,
    # which is the only writer of rulebooks, in the transaction that publishes it; kept here so
    # that whatever reads the organisation has it without a query of its own (the API's intake
    # checks every complaint's category against it).
    rulebook_current = models.ForeignKey(
        "Rulebook",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    def __str__(self) -> str:
        return self.name

    def current_rulebook(self) -> "Rulebook":
        if self.rulebook_current_id is None:
            raise Rulebook.DoesNotExist(f"{self} has no rulebook")
        return self.rulebook_current  # type: ignore[return-value]

    def current_rulebook_spec(self) -> "RulebookSpec":
        """The current rulebook's reading, without fetching and parsing its definition again:
        a published version is never edited, so its reading is kept by its id."""
        if self.rulebook_current_id is None:
            raise Rulebook.DoesNotExist(f"{self} has no rulebook")
        return _rulebook_spec(self.rulebook_current_id)


class ReferenceCounter(models.Model):
    """The next number of one kind of reference (complaints', cases') of one organisation.

    Taken with one upsert ... RETURNING inside the transaction that uses it, which holds this
    row to the end of that transaction, so no two share a number and none is skipped. A row
    per counter, not columns of the organisation: the worker recording queued complaints
    holds the case counter for a batch while the API goes on taking complaint numbers."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="counters"
    )
    name = models.CharField(max_length=40)
    next = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="reference_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.name} {self.next}"


class Branch(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="branches"
    )
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="branch_unique_name")
        ]
        ordering = ["name"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return self.name


class Rulebook(models.Model):
    """One published version of an organisation's procedure. Never edited: publish a new one."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="rulebooks"
    )
    version = models.PositiveIntegerField()
    definition = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="rulebook_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} rulebook v{self.version}"

    @cached_property
    def spec(self) -> "RulebookSpec":
        # A published rulebook is never edited (a change is a new version), so each instance
        # parses its definition once.

        return RulebookSpec(self.definition)
