"""The errors every app shares, kept here at the bottom so that every app can use them: a
refused use case (`CaseError`), the one error shape of the API, and the not-found page for
every route (HTML for pages, that JSON shape for the API)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext

API_PREFIX = "/api/"


class CaseError(Exception):
    """A use case refused, with the reason a person can act on (forms show it, the API
    answers 409 with it). Each app's more particular refusals derive from it."""


API_NOT_FOUND = "There is nothing at this address in the API: see /api/v1/docs for its routes."


def error_body(status: int, code: str, message: str, fields: dict | None = None) -> dict:
    """The one error shape of the API."""
    return {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler404`: the API's JSON error under /api/, the site's page elsewhere (with the
    reason a view gave, never the list of routes)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(404, "not_found", API_NOT_FOUND), status=404)
    reason = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str | Promise):
        # In the reader's language where the catalogue has it (public views mark their
        # reasons with gettext_noop, or raise them already translated).
        reason = gettext(str(exception.args[0]))
    return render(request, "404.html", {"exception": reason}, status=404)


class NotFoundMiddleware:
    """Under DEBUG, Django answers an unknown address with its technical page, which lists
    every route of the site: the demo runs with DEBUG on, so people would see it. This
    answers with the site's own page (or the API's JSON) instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and b"DEBUG = True" in getattr(response, "content", b"")
        ):
            return not_found(request)
        return response
