"""The confidence survey: the page a party answers from their one-time link (no sign-in), its
thanks, and oversight's reading of the comments, by quarter and unlinked."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fairhearing.core.errors import CaseError

from . import services
from .access import require_comment_reader
from .forms import AnswerForm
from .queries import MIN_FOR_COMMENTS, comments_of, periods_answered

# What a link that cannot be answered says, and its status: a page, not an error.
LINK_PAGES = {
    services.UNKNOWN: (404, _("This survey link does not work")),
    services.USED: (410, _("This survey has already been answered")),
    services.EXPIRED: (410, _("This survey link has expired")),
}


def _link_page(request: HttpRequest, reason: str) -> HttpResponse:
    status, heading = LINK_PAGES[reason]
    return render(
        request, "surveys/link.html", {"heading": heading, "reason": reason}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.survey_link_check(token)
    except services.SurveyLinkError as exc:
        return _link_page(request, exc.reason)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                token=token, answers=form.answers(), comments=form.cleaned_data["comments"]
            )
        except services.SurveyLinkError as exc:
            return _link_page(request, exc.reason)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("surveys:thanks")
    return render(
        request, "surveys/answer.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def thanks_view(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/thanks.html")


@login_required
@require_GET
def comments_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_comment_reader(user)
    periods = periods_answered(
        user.organisation_id, before=services.quarter_of(timezone.localdate())
    )
    chosen = request.GET.get("period") or (periods[0] if periods else "")
    if chosen not in periods:
        chosen = periods[0] if periods else ""
    return render(
        request,
        "surveys/comments.html",
        {
            "periods": periods,
            "period": chosen,
            "comments": comments_of(user.organisation_id, chosen) if chosen else None,
            "least": MIN_FOR_COMMENTS,
        },
    )
