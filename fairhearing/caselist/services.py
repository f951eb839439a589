"""Saved views: the lists a user keeps under a name. Each is that user's own shortcut, not a
change to any case nor to anyone else's work, so nothing here goes on the ledger
(core/tests/test_every_write_audited.py names them in EXEMPT)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from fairhearing.core.errors import CaseError

from .models import NAME_MAX, SavedView
from .queries import SAVED_VIEWS_MAX, saved_query_clean

NAME_NEEDED = "Give the view a name."
NAME_TOO_LONG = f"The name must be {NAME_MAX} characters or fewer."
SAVED_VIEWS_FULL = f"You can keep up to {SAVED_VIEWS_MAX} saved views: delete one first."
NOT_YOURS = "That saved view is not yours."


@transaction.atomic
def saved_view_save(*, actor: Any, name: str, query: str) -> tuple[SavedView, bool]:
    """Keep the list `query` (as `queries.saved_query_clean` keeps it) under `name` for
    `actor`, replacing their view of the same name. Returns the view and whether it is new;
    refused without a name, or when they keep `SAVED_VIEWS_MAX` views already."""
    name = " ".join(name.split())
    if not name:
        raise CaseError(NAME_NEEDED)
    if len(name) > NAME_MAX:
        raise CaseError(NAME_TOO_LONG)
    # The user's row, locked: two saves at once cannot both take the last place.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk").get()
    query = saved_query_clean(query)
    existing = SavedView.objects.filter(user=actor, name=name).first()
    if existing is not None:
        existing.query = query
        existing.save(update_fields=["query"])
        return existing, False
    if SavedView.objects.filter(user=actor).count() >= SAVED_VIEWS_MAX:
        raise CaseError(SAVED_VIEWS_FULL)
    return SavedView.objects.create(user=actor, name=name, query=query), True


@transaction.atomic
def saved_view_delete(*, actor: Any, saved_view: SavedView) -> None:
    """Delete one of `actor`'s own saved views (`access.saved_view_for` found it)."""
    if saved_view.user_id != actor.pk:
        raise CaseError(NOT_YOURS)
    saved_view.delete()
