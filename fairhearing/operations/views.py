"""What the operators' tools read: liveness, readiness and the metrics. None of it names a
case, a person, a task or anything of the code (docs/operations.md)."""

import hmac
import ipaddress
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from fairhearing.worker import queries as worker_queries

from .metrics import CONTENT_TYPE, metrics_exposition

log = logging.getLogger(__name__)

DATABASE_UNREACHABLE = "The database cannot be reached."
REFUSED = "Not allowed."


@require_safe
def live(request: HttpRequest) -> JsonResponse:
    """The process is up and answering: nothing else is asked (no database), so a database
    that is down never gets a healthy process restarted."""
    return JsonResponse({"status": "ok"})


@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """Ready for work: the database answers a trivial query, and a background worker's
    heartbeat is fresh with every recurring job on time (`worker.queries.readiness`). 503 with
    the problems in short sentences otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        problems = worker_queries.readiness().problems
    except DatabaseError:
        log.exception("readiness: the database cannot be reached")
        problems = [DATABASE_UNREACHABLE]
    if problems:
        return JsonResponse({"status": "unready", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})


def _bearer_token(request: HttpRequest) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _address_allowed(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def _refused() -> HttpResponse:
    return HttpResponse(REFUSED, status=403, content_type="text/plain; charset=utf-8")


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' scrape. Without a configured scraper (no token, no addresses) there is no
    such page (404). Otherwise the scrape must come from an allowed address when addresses are
    set, and carry the bearer token when a token is set; any other is refused, 403 with the
    same two words whatever was wrong (no `WWW-Authenticate`: a refusal says nothing of what
    would pass). The token is compared in constant time."""
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        raise Http404("No such page.")
    if networks and not _address_allowed(request):
        return _refused()
    if token:
        given = _bearer_token(request) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return _refused()
    response = HttpResponse(metrics_exposition(), content_type=CONTENT_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response
