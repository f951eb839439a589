"""Who reaches the saved views: anyone whose role reads the case list, their own views only."""

from typing import Any

from django.shortcuts import get_object_or_404

from fairhearing.cases.access import case_list_reader

from .models import SavedView

NOT_FOUND = "No saved view of yours has that number."


def saved_views_reader(user: Any) -> Any:
    """The user, if their role reads the case list (`cases.access.case_list_reader`): the
    refusal is recorded by the refusal middleware."""
    return case_list_reader(user)


def saved_view_for(user: Any, pk: int) -> SavedView:
    """The user's own saved view; anyone else's, or none, is not found (a shortcut to a list,
    not case content: nothing for the interference register)."""
    saved_views_reader(user)
    return get_object_or_404(SavedView.objects.filter(user=user), pk=pk)
