"""The saved views' page: save the case list one came from under a name; open or delete one's
own views. Thin: the access function, then at most one service."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.accounts.models import User
from fairhearing.cases.forms import CaseFilterForm, list_url
from fairhearing.core.errors import CaseError
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.rulebook import RulebookSpec

from . import services
from .access import saved_view_for, saved_views_reader
from .forms import SavedViewForm
from .queries import (
    ALL,
    DEFAULT_SORT,
    QUEUES,
    SAVED_VIEWS_MAX,
    SORTS,
    assignees,
    saved_query_clean,
    saved_views_of,
    sort_in_force,
    sort_parse,
)

SAVED = "Saved the view “{name}”: it is above the case list."
REPLACED = "Replaced the view “{name}” with this list."
DELETED = "Deleted the view “{name}”."


@dataclass(frozen=True)
class SavedViewRow:
    pk: int
    name: str
    url: str
    shows: list[str]


def _described(query: str, spec: RulebookSpec, staff: list[User]) -> list[str]:
    """The list a saved query shows, in words: its queue, its filters (as the list's tags say
    them) and its order."""
    params = dict(parse_qsl(query))
    queue = params.get("queue", ALL)
    filters = CaseFilterForm(QueryDict(query), spec=spec, staff=staff).tags({})
    column, descending = sort_parse(sort_in_force(params.get("sort", DEFAULT_SORT), queue)) or (
        SORTS["opened"],
        True,
    )
    order = column.described(descending)
    return [QUEUES.get(queue, QUEUES[ALL]), *(tag.label for tag in filters), order]


@login_required
@require_http_methods(["GET", "POST"])
def saved_views_view(request: HttpRequest) -> HttpResponse:
    """Save the list the user came from (its query, cleaned) under a name; list their views."""
    user: Any = saved_views_reader(request.user)
    spec = Organisation.objects.get(pk=user.organisation_id).current_rulebook().spec
    staff = assignees(user.organisation_id)
    form = SavedViewForm(
        request.POST or None, initial={"query": saved_query_clean(request.GET.urlencode())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved_view, created = services.saved_view_save(
                actor=user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except CaseError as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, (SAVED if created else REPLACED).format(name=saved_view.name))
            return redirect(list_url(dict(parse_qsl(saved_view.query))))
    query = saved_query_clean(str(form["query"].value() or ""))
    views = [
        SavedViewRow(
            view.pk,
            view.name,
            list_url(dict(parse_qsl(view.query))),
            _described(view.query, spec, staff),
        )
        for view in saved_views_of(user)
    ]
    context = {
        "form": form,
        "query": query,
        "shows": _described(query, spec, staff),
        "back_url": list_url(dict(parse_qsl(query))),
        "views": views,
        "most": SAVED_VIEWS_MAX,
    }
    return render(request, "caselist/saved_views.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    saved_view = saved_view_for(request.user, pk)
    name = saved_view.name
    services.saved_view_delete(actor=request.user, saved_view=saved_view)
    messages.success(request, DELETED.format(name=name))
    # Back to the page as it was (the list it would save), from the query it carried.
    back = saved_query_clean(request.POST.get("query", ""))
    page = reverse("caselist:saved_views")
    return redirect(f"{page}?{back}" if back else page)
