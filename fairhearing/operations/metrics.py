"""Metrics for Prometheus (prometheus-client): what the web processes count as they serve,
and what the database holds, read when the scraper asks.

Counted as requests are served (`operations.middleware.RequestMetricsMiddleware`):
- `fairhearing_http_requests_total{method, status, view}`: `status` is the class ("2xx",
  "4xx"), `view` the route's name (`core.logs.route_name`: "cases:detail", never a path,
  which holds references and tokens);
- `fairhearing_http_request_duration_seconds{method, view}`: a histogram.

Read from the database at each scrape (`DatabaseCollector`), each gauge a function that the
app owning the table registers in its `AppConfig.ready` (`database_gauge_register`), as the
worker's labels are: this module, below every domain app, imports none of them. Each reading
is an indexed statement (one a label value), and a count stops at
`settings.METRICS_COUNT_CAP`, so a scrape costs the same at a thousand cases and at a million
(docs/operations.md).

Several processes (gunicorn's workers) each count their own requests: with
`PROMETHEUS_MULTIPROC_DIR` set before they start, each writes its counts to a file there and
a scrape, whichever worker answers it, adds them up (prometheus-client's multiprocess mode).
"""

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

HTTP_REQUESTS = Counter(
    "fairhearing_http_requests",
    "Requests answered, by method, status class and route name.",
    ["method", "status", "view"],
)
HTTP_DURATION = Histogram(
    "fairhearing_http_request_duration_seconds",
    "Time from the request's arrival to its answer, by method and route name.",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def request_observe(*, method: str, status: int, view: str, seconds: float) -> None:
    """Count one answered request. An unusual method counts as "other", so that no client can
    make the series grow."""
    method = method if method in METHODS else "other"
    HTTP_REQUESTS.labels(method=method, status=f"{status // 100}xx", view=view).inc()
    HTTP_DURATION.labels(method=method, view=view).observe(seconds)


# A reading: (the time now, the cap) to a value, or to a value per tuple of label values.
Reading = Callable[[dt.datetime, int], float | Mapping[tuple[str, ...], float]]


@dataclass(frozen=True)
class DatabaseGauge:
    name: str
    documentation: str
    read: Reading
    labels: tuple[str, ...] = ()


_gauges: dict[str, DatabaseGauge] = {}


def database_gauge_register(
    name: str, *, documentation: str, read: Reading, labels: tuple[str, ...] = ()
) -> None:
    """Add a gauge read at each scrape: `read(now, cap)` gives its value, or with
    `labels`, a value per tuple of label values. Registering a name again replaces it."""
    _gauges[name] = DatabaseGauge(name, documentation, read, labels)


class DatabaseCollector(Collector):
    """The registered gauges, read afresh at each scrape; `fairhearing_database_up` says
    whether the database answered (when not, the gauges read so far are all there is)."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        cap = settings.METRICS_COUNT_CAP
        yield GaugeMetricFamily(
            "fairhearing_metrics_count_cap",
            "Counts read from the database stop here: a gauge at this value means at least.",
            value=cap,
        )
        up = 1
        for gauge in list(_gauges.values()):
            try:
                value = gauge.read(now, cap)
            except DatabaseError:
                log.exception("metrics: the database could not be read")
                up = 0
                break
            family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=gauge.labels)
            if isinstance(value, Mapping):
                for label_values, number in value.items():
                    family.add_metric(list(label_values), number)
            else:
                family.add_metric([], value)
            yield family
        yield GaugeMetricFamily(
            "fairhearing_database_up", "1 when the database answered this scrape.", value=up
        )


DATABASE_REGISTRY = CollectorRegistry(auto_describe=False)
DATABASE_REGISTRY.register(DatabaseCollector())


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def served_exposition() -> bytes:
    """The requests counted: this process's, or in multiprocess mode every process's, added
    up; outside that mode, prometheus-client's process and platform metrics too (memory,
    CPU, open files)."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def metrics_exposition() -> bytes:
    """Every metric, in Prometheus' text format: the requests counted and the database's
    gauges."""
    return served_exposition() + generate_latest(DATABASE_REGISTRY)
