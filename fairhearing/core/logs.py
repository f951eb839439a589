"""What every log line carries, and what none may carry.

A request's id (`core.middleware.RequestIdMiddleware` sets it) is kept in a context variable
from the request's arrival until it is answered (`request_finished`), so every record logged
meanwhile, by our code or Django's, carries it: `RequestContextFilter` (on the console
handler, settings.LOGGING) copies it onto the record as `request_id`. Outside a request (the
worker, commands) it is "-".

A path can hold a case reference or a party's sign-in token, so no log line holds one: the
filter puts the route's name in place of the path in Django's request warnings ("Not Found:
cases:detail") and drops the request object they carry (a JSON formatter would print its
repr, path and all). `FAIRHEARING_LOG_FORMAT=json` gives one JSON object a line
(python-json-logger); the default is plain text.
"""

import logging
import re
import uuid
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest

NO_REQUEST = "-"
request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

# What a proxy may hand us as X-Request-ID and we keep: a UUID, nginx's 32 hex digits, or any
# short token of letters, digits and `._-`. Anything else (too long, spaces, quotes, line
# breaks that would forge a log line) is replaced by a new UUID.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,99}")

# The route of a request no URL pattern matched, or that a middleware answered before
# routing (static files): never the path itself.
UNMATCHED = "unmatched"


def request_id_clear(**kwargs: Any) -> None:
    """The request is answered (its response closed, a streamed one once streamed): the lines
    logged from here on, in this thread, belong to no request."""
    request_id_var.set(NO_REQUEST)


request_finished.connect(request_id_clear, dispatch_uid="fairhearing.core.logs.request_id_clear")


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is well formed, else a new one."""
    if header and REQUEST_ID_PATTERN.fullmatch(header):
        return header
    return str(uuid.uuid4())


def route_name(request: HttpRequest) -> str:
    """The name of the route that served `request` ("cases:detail", "api:cases_list"), its
    pattern when it has no name, or `UNMATCHED`: a bounded set of values, never the path with
    its references and tokens."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    if match.url_name:
        return str(match.view_name)
    return str(match.route) or UNMATCHED


class RequestContextFilter(logging.Filter):
    """Adds `request_id` to every record; in a record about a request (Django's
    `django.request` warnings), the route's name stands for the path, and the request object
    goes. Never refuses a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        request: Any = record.__dict__.pop("request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple):
            route = route_name(request)
            record.args = tuple(route if arg == path else arg for arg in record.args)
        return True
