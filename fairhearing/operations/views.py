"""What the operators' tools read: liveness, readiness and the metrics. None of it names a
case, a person, a task or anything of the code (docs/operations.md)."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from fairhearing.worker import queries as worker_queries

from .access import metrics_scraper_check
from .metrics import CONTENT_TYPE, metrics_exposition

log = logging.getLogger(__name__)

DATABASE_UNREACHABLE = "The database cannot be reached."


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


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' scrape, for the configured scraper alone (`access.metrics_scraper_check`:
    404 with none configured, 403 for anyone else)."""
    metrics_scraper_check(request)
    response = HttpResponse(metrics_exposition(), content_type=CONTENT_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response
