"""What the operators' tools read (docs/operations.md): the metrics and who may read them, the
request id on every log line and in JSON, and liveness and readiness with a stale heartbeat."""

import datetime as dt
import io
import ipaddress
import json
import logging
import logging.config
import os
import re
import runpy
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

import fairhearing.settings
from fairhearing.conftest import signed_in
from fairhearing.core.logs import RequestContextFilter, request_id_var
from fairhearing.deadlines.models import Deadline
from fairhearing.deadlines.tasks import deadline_sweep_task
from fairhearing.notifications.models import Notification
from fairhearing.operations import metrics as metrics_module
from fairhearing.operations import views
from fairhearing.oversight.models import AccessAttempt
from fairhearing.webhooks.models import Delivery, Endpoint, WebhookEvent
from fairhearing.worker import services as worker_services
from fairhearing.worker.models import Schedule, WorkerProcess

pytestmark = pytest.mark.django_db

TOKEN = "t" * 40


@pytest.fixture
def scraper(settings) -> str:
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = []
    return f"Bearer {TOKEN}"


def scrape(authorization: str, **extra) -> dict[str, dict[tuple, float]]:
    """The scrape's samples: name -> {sorted label items: value}."""
    response = Client().get("/metrics", HTTP_AUTHORIZATION=authorization, **extra)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert response["Cache-Control"] == "no-store"
    samples: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            key = tuple(sorted(sample.labels.items()))
            samples.setdefault(sample.name, {})[key] = sample.value
    return samples


def requests_counted(view: str, status: str, method: str = "GET") -> float:
    labels = {"method": method, "status": status, "view": view}
    return REGISTRY.get_sample_value("fairhearing_http_requests_total", labels) or 0.0


def other_methods_counted() -> float:
    return sum(
        sample.value
        for family in REGISTRY.collect()
        for sample in family.samples
        if sample.name == "fairhearing_http_requests_total" and sample.labels["method"] == "other"
    )


# The guard -----------------------------------------------------------------------------------


def test_without_a_configured_scraper_there_is_no_metrics_page(settings) -> None:
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 404
    assert b"fairhearing_" not in response.content


def test_only_the_token_reads_the_metrics_and_a_refusal_says_nothing(scraper) -> None:
    refusals = [
        Client().get("/metrics"),
        Client().get("/metrics", HTTP_AUTHORIZATION="Bearer " + "u" * 40),
        Client().get("/metrics", HTTP_AUTHORIZATION="Bearer " + TOKEN[:-1]),
        Client().get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}"),
        Client().get("/metrics", HTTP_AUTHORIZATION="Bearer"),
        Client().get(f"/metrics?token={TOKEN}"),
    ]
    for refused in refusals:
        assert refused.status_code == 403
        assert refused.content == refusals[0].content  # whatever was wrong
        assert b"fairhearing_" not in refused.content
        assert "WWW-Authenticate" not in refused
    assert Client().get("/metrics", HTTP_AUTHORIZATION=scraper).status_code == 200
    # The scheme is case-insensitive (RFC 6750); a POST is refused (CSRF, then the method).
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"bearer {TOKEN}").status_code == 200
    posted = Client().post("/metrics", HTTP_AUTHORIZATION=scraper)
    assert posted.status_code in {403, 405}
    assert b"fairhearing_" not in posted.content


def test_a_member_of_staff_is_refused_and_the_refusal_recorded(scraper, case_officer) -> None:
    before = AccessAttempt.objects.count()
    refused = signed_in(case_officer).get("/metrics")
    assert refused.status_code == 403
    assert b"fairhearing_" not in refused.content
    assert AccessAttempt.objects.count() == before + 1


def test_only_the_allowed_addresses_read_the_metrics(settings) -> None:
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network("10.2.0.0/16"),
        ipaddress.ip_network("2001:db8::7/128"),
    ]
    assert Client().get("/metrics", REMOTE_ADDR="10.2.9.9").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="2001:db8::7").status_code == 200
    for address in ["10.3.0.1", "127.0.0.1", "2001:db8::8", "", "not-an-address"]:
        refused = Client().get("/metrics", REMOTE_ADDR=address)
        assert refused.status_code == 403, address
        assert b"fairhearing_" not in refused.content
    # A forwarded header is not the peer: it cannot open the page.
    forwarded = Client().get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.2.0.1")
    assert forwarded.status_code == 403
    # With a token too, both must hold.
    settings.METRICS_TOKEN = TOKEN
    assert Client().get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 403
    assert (
        Client().get("/metrics", REMOTE_ADDR="10.3.0.1", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    ).status_code == 403
    assert (
        Client().get("/metrics", REMOTE_ADDR="10.2.0.1", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    ).status_code == 200


# What the metrics say --------------------------------------------------------------------


def test_requests_are_counted_and_timed_by_route_name_never_by_path(scraper, case) -> None:
    detail = reverse("cases:detail", args=[case.reference])
    before = requests_counted("cases:detail", "3xx")
    unmatched_before = requests_counted("unmatched", "4xx")
    other_before = other_methods_counted()
    Client().get(detail)  # not signed in: sent to sign in
    Client().get(f"/no-such-page/{case.reference}/")
    Client().generic("BREW", "/")  # an unknown method cannot add series
    assert requests_counted("cases:detail", "3xx") == before + 1
    assert requests_counted("unmatched", "4xx") == unmatched_before + 1
    assert other_methods_counted() == other_before + 1
    response = Client().get("/metrics", HTTP_AUTHORIZATION=scraper)
    text = response.content.decode()
    assert case.reference not in text
    assert "BREW" not in text
    assert 'fairhearing_http_request_duration_seconds_bucket{le="0.01",method="GET",' in text
    samples = scrape(scraper)
    views_seen = {dict(labels)["view"] for labels in samples["fairhearing_http_requests_total"]}
    # Every view label is a route's name or "unmatched": never a path.
    assert all(not view.startswith("/") and case.reference not in view for view in views_seen)
    assert {"cases:detail", "unmatched", "operations:metrics"} <= views_seen


@pytest.fixture
def database_tasks(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_database_gauges_count_the_queue_the_overdue_and_the_failed(
    scraper, case, database_tasks, organisation
) -> None:
    samples = scrape(scraper)
    assert samples["fairhearing_worker_queue_depth"][()] == 0
    assert samples["fairhearing_worker_queue_lag_seconds"][()] == 0
    assert samples["fairhearing_workers_alive"][()] == 0
    assert samples["fairhearing_database_up"][()] == 1
    overdue_before = samples["fairhearing_time_limits_overdue"][()]

    deadline_sweep_task.enqueue()
    deadline_sweep_task.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=3))
    worker_services.worker_register(worker_id="w1")
    # An organisation's running limit, due yesterday: overdue. A respondent's is not counted.
    limit = case.deadlines.filter(status=Deadline.Status.OPEN).first()
    assert limit is not None
    Deadline.objects.filter(pk=limit.pk).update(
        due_at=timezone.now() - dt.timedelta(days=1), binds=Deadline.Binds.ORGANISATION
    )
    Notification.objects.filter(case=case).update(status=Notification.Status.FAILED)
    failed_emails = Notification.objects.filter(status=Notification.Status.FAILED).count()
    Notification.objects.create(
        kind=Notification.Kind.DECISION, status=Notification.Status.GAVE_UP, case=case
    )
    endpoint = Endpoint.objects.create(
        organisation=organisation, url="https://members.example.invalid/hook", secret="s"
    )
    event = WebhookEvent.objects.create(
        organisation=organisation, case=case, name="sanction.imposed", payload={}, dedupe_key="k"
    )
    for status in ["failed", "failed", "gave_up", "delivered"]:
        Delivery.objects.create(endpoint=endpoint, event=event, status=status)

    samples = scrape(scraper)
    assert samples["fairhearing_worker_queue_depth"][()] == 2
    assert 180 <= samples["fairhearing_worker_queue_lag_seconds"][()] < 240
    assert samples["fairhearing_workers_alive"][()] == 1
    assert samples["fairhearing_time_limits_overdue"][()] == overdue_before + 1
    assert samples["fairhearing_emails_failed"] == {
        (("state", "retrying"),): failed_emails,
        (("state", "gave_up"),): 1,
    }
    assert samples["fairhearing_webhook_deliveries_failed"] == {
        (("state", "retrying"),): 2,
        (("state", "gave_up"),): 1,
    }


def test_a_count_stops_at_the_cap(scraper, settings, database_tasks) -> None:
    settings.METRICS_COUNT_CAP = 2
    for _ in range(3):
        deadline_sweep_task.enqueue()
    samples = scrape(scraper)
    assert samples["fairhearing_worker_queue_depth"][()] == 2
    assert samples["fairhearing_metrics_count_cap"][()] == 2


def test_a_database_that_fails_is_said_and_the_scrape_still_answers(scraper, monkeypatch) -> None:
    def broken(now, cap):
        raise DatabaseError("gone")

    gauges = dict(metrics_module._gauges)
    gauges["fairhearing_broken"] = metrics_module.DatabaseGauge("fairhearing_broken", "x", broken)
    monkeypatch.setattr(metrics_module, "_gauges", gauges)
    samples = scrape(scraper)
    assert samples["fairhearing_database_up"][()] == 0
    assert "fairhearing_http_requests_total" in samples


def test_a_scrape_reads_the_database_in_eight_statements(scraper, django_assert_num_queries):
    # One a gauge, one a state of the failed emails and deliveries (plans: docs/operations.md).
    with django_assert_num_queries(8):
        Client().get("/metrics", HTTP_AUTHORIZATION=scraper)


# Request ids and the logs ----------------------------------------------------------------


def test_each_response_carries_its_request_id() -> None:
    generated = Client().get("/healthz/live")["X-Request-ID"]
    assert uuid.UUID(generated)
    assert Client().get("/healthz/live")["X-Request-ID"] != generated
    given = "0123456789abcdef0123456789abcdef"  # nginx's $request_id
    assert Client().get("/healthz/live", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    for forged in ["short", "a b c d e f g h", "x" * 101, "abc123456\nlevel=ERROR", "<script>1"]:
        replaced = Client().get("/healthz/live", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
        assert uuid.UUID(replaced), forged
    # Also on an error page, and outside a request the id is "-".
    assert Client().get("/no-such-page/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    assert request_id_var.get() == "-"


def configured_formatter(name: str) -> logging.Formatter:
    """The formatter settings.LOGGING names `name`, as dictConfig makes it."""
    config: Any = django_settings.LOGGING
    configurator = logging.config.DictConfigurator(config)
    return configurator.configure_formatter(dict(config["formatters"][name]))


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The root logger also writes, as the production handler does with
    FAIRHEARING_LOG_FORMAT=json (settings.LOGGING's json formatter and filter), to a buffer."""
    formatter = configured_formatter("json")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    requests_log = logging.getLogger("fairhearing.requests")
    level = requests_log.level
    requests_log.setLevel(logging.INFO)
    root.addHandler(handler)
    yield buffer
    root.removeHandler(handler)
    requests_log.setLevel(level)


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_json_log_lines_carry_the_request_id_and_no_path_or_name(json_log, case_officer, case):
    given = "trace-0001-abcdef"
    client = signed_in(case_officer)
    client.get("/cases/ZZ-0000-NOPE/", HTTP_X_REQUEST_ID=given)
    client.get(reverse("cases:detail", args=[case.reference]), HTTP_X_REQUEST_ID=given)
    records = lines(json_log)
    assert records, "nothing was logged"
    assert all(record["request_id"] == given for record in records)
    assert all({"time", "level", "logger", "message", "request_id"} <= set(r) for r in records)
    request_lines = [r for r in records if r["logger"] == "fairhearing.requests"]
    assert [(r["method"], r["view"], r["status"]) for r in request_lines] == [
        ("GET", "cases:detail", 404),
        ("GET", "cases:detail", 200),
    ]
    assert all(isinstance(r["duration_ms"], float) for r in request_lines)
    not_found = [r for r in records if r["logger"] == "django.request"]
    assert [r["message"] for r in not_found] == ["Not Found: cases:detail"]
    assert not_found[0]["level"] == "WARNING"
    logged = json_log.getvalue()
    for secret in ["ZZ-0000-NOPE", case.reference, "Rowan", "Ashby", "Priya", "/cases/"]:
        assert secret not in logged, secret
    assert "request" not in not_found[0]  # Django's request object, path and all, is dropped


def test_text_log_lines_carry_the_request_id() -> None:
    formatter = configured_formatter("text")
    record = logging.LogRecord("fairhearing.x", logging.WARNING, __file__, 1, "Hello", (), None)
    RequestContextFilter().filter(record)
    assert re.fullmatch(r"\S+ \S+ WARNING fairhearing\.x \[-\] Hello", formatter.format(record))
    token = request_id_var.set("trace-0002-abcdef")
    try:
        RequestContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert "[trace-0002-abcdef] Hello" in formatter.format(record)


# Liveness and readiness ------------------------------------------------------------------


def test_liveness_asks_nothing_of_the_database(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def worker_at_work() -> None:
    worker_services.worker_register(worker_id="w1")
    worker_services.schedules_sync()
    now = timezone.now()
    Schedule.objects.update(last_succeeded_at=now, last_finished_at=now)


def test_readiness_wants_the_database_and_a_fresh_heartbeat(settings) -> None:
    unready = Client().get("/healthz/ready")
    assert unready.status_code == 503
    assert unready.json()["status"] == "unready"
    assert "No background worker is running." in unready.json()["problems"]

    worker_at_work()
    ready = Client().get("/healthz/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}

    # The worker's last beat a whole lease ago: taken for dead, so not ready.
    stale = timezone.now() - dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS + 1)
    WorkerProcess.objects.update(beat_at=stale)
    stale_response = Client().get("/healthz/ready")
    assert stale_response.status_code == 503
    assert stale_response.json() == {
        "status": "unready",
        "problems": ["No background worker is running."],
    }
    # It beats again: ready.
    assert worker_services.worker_beat(worker_id="w1")
    assert Client().get("/healthz/ready").status_code == 200


def test_readiness_says_when_the_database_cannot_be_reached(monkeypatch) -> None:
    worker_at_work()

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Unreachable())
    response = Client().get("/healthz/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unready",
        "problems": ["The database cannot be reached."],
    }
    assert "connection refused" not in response.content.decode()


# The settings ----------------------------------------------------------------------------


def test_the_settings_read_the_scraper_and_the_log_format_and_refuse_bad_values(
    monkeypatch,
) -> None:
    path = fairhearing.settings.__file__
    monkeypatch.setenv("FAIRHEARING_METRICS_TOKEN", f"  {TOKEN} ")
    monkeypatch.setenv("FAIRHEARING_METRICS_ALLOWED_IPS", "10.0.0.7, 192.168.4.0/24,2001:db8::/32")
    monkeypatch.setenv("FAIRHEARING_LOG_FORMAT", "json")
    monkeypatch.setenv("LOG_LEVEL", "info")
    conf = runpy.run_path(path)
    assert conf["METRICS_TOKEN"] == TOKEN
    assert [str(n) for n in conf["METRICS_ALLOWED_NETWORKS"]] == [
        "10.0.0.7/32",
        "192.168.4.0/24",
        "2001:db8::/32",
    ]
    assert conf["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    assert conf["LOGGING"]["root"]["level"] == "INFO"

    for name, value in [
        ("FAIRHEARING_METRICS_TOKEN", "too-short"),
        ("FAIRHEARING_METRICS_ALLOWED_IPS", "10.0.0.300"),
        ("FAIRHEARING_LOG_FORMAT", "xml"),
        ("LOG_LEVEL", "LOUD"),
    ]:
        with monkeypatch.context() as bad:
            bad.setenv(name, value)
            with pytest.raises(ImproperlyConfigured, match=name):
                runpy.run_path(path)


COUNT_ONE_REQUEST = """
import django
django.setup()
from fairhearing.operations.metrics import request_observe
request_observe(method="GET", status=200, view="cases:detail", seconds=0.02)
"""
EXPOSE = """
import django
django.setup()
from fairhearing.operations.metrics import served_exposition
print(served_exposition().decode())
"""


def test_several_web_processes_are_added_up_in_multiprocess_mode(tmp_path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fairhearing.settings",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    for _ in range(2):  # two gunicorn workers, each answering one request
        subprocess.run([sys.executable, "-c", COUNT_ONE_REQUEST], env=env, check=True)  # noqa: S603
    served = subprocess.run(  # noqa: S603
        [sys.executable, "-c", EXPOSE], env=env, check=True, capture_output=True, text=True
    ).stdout
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(served)
        for sample in family.samples
    }
    labels = (("method", "GET"), ("status", "2xx"), ("view", "cases:detail"))
    assert samples[("fairhearing_http_requests_total", labels)] == 2
    bucket = (("le", "0.025"), ("method", "GET"), ("view", "cases:detail"))
    assert samples[("fairhearing_http_request_duration_seconds_bucket", bucket)] == 2
