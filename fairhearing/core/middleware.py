"""Content-Security-Policy: no inline script, nothing from anywhere but this site; a NUL in a
path or query; and the request id every log line of a request carries."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse, QueryDict

from fairhearing.core.errors import error_body
from fairhearing.core.logs import request_id_from, request_id_var

REQUEST_ID_HEADER = "X-Request-ID"

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


class NulMiddleware:
    """PostgreSQL can neither store nor compare a NUL character (a query holding one fails:
    a 500), and no honest link holds one. A path with a NUL names nothing that exists: 404
    (in the API's one error shape under /api/). A NUL in the query string is removed, as the
    ledger removes it from payloads, so filters keep to their documented types. Form fields
    refuse it themselves (Django's CharField); API bodies lose it in `api.core.StrictSchema`.
    Tested by core/tests/attacks/test_filters.py."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            if request.path_info.startswith("/api/"):
                return JsonResponse(error_body(404, "not_found", NO_SUCH_PAGE, {}), status=404)
            return HttpResponseNotFound(NO_SUCH_PAGE, content_type="text/plain; charset=utf-8")
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]
        return self.get_response(request)


NO_SUCH_PAGE = "No such page."


class RequestIdMiddleware:
    """Gives each request an id: the proxy's `X-Request-ID` when it is well formed
    (`core.logs.REQUEST_ID_PATTERN`), else a new UUID. It is on every log record logged while
    the request runs (`core.logs.RequestContextFilter`) and on the response's `X-Request-ID`,
    so that a person's report of a failed page leads to its log lines. First in MIDDLEWARE,
    so that every other middleware's lines carry it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        # Not reset on the way out: Django logs a 4xx or 5xx answer ("Not Found: ...") after
        # the last middleware returns. `request_finished` puts it back (core/logs.py).
        request_id_var.set(request_id)
        response = self.get_response(request)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response
