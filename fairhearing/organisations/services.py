import copy
from typing import Any

from django.db import transaction

from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .default_rulebook import DEFAULT_RULEBOOK
from .models import Organisation, Rulebook, rulebook_readings_forget
from .rulebook import RulebookSpec


@transaction.atomic
def organisation_create(
    *, actor: Any, name: str, slug: str, reference_prefix: str = "FH"
) -> Organisation:
    organisation = Organisation(name=name, slug=slug, reference_prefix=reference_prefix)
    organisation.full_clean()
    organisation.save()
    event_append(
        actor=actor,
        kind=EventKind.ORGANISATION_CREATED,
        payload={"organisation": organisation.pk},
    )
    rulebook_publish(actor=actor, organisation=organisation, definition=DEFAULT_RULEBOOK)
    return organisation


@transaction.atomic
def rulebook_publish(
    *, actor: Any, organisation: Organisation, definition: dict[str, Any]
) -> Rulebook:
    """Publish a new version. Earlier versions stay: each case runs under the one it opened with."""
    RulebookSpec(definition)  # refuses a definition that cannot run a case
    latest = organisation.rulebooks.order_by("-version").values_list("version", flat=True).first()
    rulebook = Rulebook.objects.create(
        organisation=organisation, version=(latest or 0) + 1, definition=copy.deepcopy(definition)
    )
    rulebook_readings_forget()
    Organisation.objects.filter(pk=organisation.pk).update(rulebook_current=rulebook)
    organisation.rulebook_current = rulebook
    event_append(
        actor=actor,
        kind=EventKind.RULEBOOK_PUBLISHED,
        payload={
            "organisation": organisation.pk,
            "rulebook": rulebook.pk,
            "version": rulebook.version,
        },
    )
    return rulebook
