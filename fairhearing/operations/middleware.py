"""Each request counted and timed for the metrics, and, at LOG_LEVEL=INFO, a line for it."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from fairhearing.core.logs import route_name

from .metrics import request_observe

# One line a request: method, route name, status and time; never the path or the query.
log = logging.getLogger("fairhearing.requests")


class RequestMetricsMiddleware:
    """Times each request from its arrival to its answer (near the top of MIDDLEWARE, so that
    the time of every middleware under it counts) and counts it by method, status class and
    route name, read after the view ran, when the request knows its route."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        view = route_name(request)
        method = request.method or ""
        request_observe(method=method, status=response.status_code, view=view, seconds=seconds)
        log.info(
            "%s %s %s %.0f ms",
            method,
            view,
            response.status_code,
            seconds * 1000,
            extra={
                "method": method,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )
        return response
