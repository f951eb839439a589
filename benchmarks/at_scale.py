"""The read paths against a database already filled by `fairhearing bench generate` (the full
run: 1,000,000 cases and about 10,000,000 ledger events), on PostgreSQL.

    DATABASE_URL=postgres://.../bench_1m FAIRHEARING_VAR_DIR=/tmp/bench1m \
        .venv/bin/fairhearing bench generate --cases 1000000
    DATABASE_URL=postgres://.../bench_1m FAIRHEARING_VAR_DIR=/tmp/bench1m \
        .venv/bin/python benchmarks/at_scale.py --runs 20

Unlike the other benchmarks, which fill a fresh database of their own, this one measures what
is there (filling a million cases takes most of half an hour, so it is done once). It times,
through the whole Django stack, the staff case list (filters, pagination) and the case page,
with p50 and p95 over the runs; the quarterly statistics for every quarter of the history; the
meeting pack; and `ledger verify` (events/s and the process's peak memory). JSON on stdout.

The pages are served as a gunicorn worker serves them: DEBUG off (no query log kept), none
of the test runner's template instrumentation, and the process settled as `fairhearing.wsgi`
settles a worker (every view imported, start-up's objects set aside from the garbage
collector) once each page has been fetched once.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import sys
import time

import django


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(1000 * statistics.median(values), 1),
        "p95_ms": round(1000 * percentile(values, 0.95), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    # As production runs (benchmarks/intake_load.py starts gunicorn with the same), so that
    # the figures are a worker's, not a debugging server's.
    os.environ.update(DEBUG="0", SECURE_SSL_REDIRECT="0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from fairhearing.accounts.models import Role, User
    from fairhearing.cases.models import Case
    from fairhearing.core.testing.second_factor import client_login_verified
    from fairhearing.ledger.models import Event
    from fairhearing.ledger.queries import ledger_verify
    from fairhearing.organisations.models import Organisation
    from fairhearing.reporting.queries import (
        history_figures,
        pack_content,
        period_figures,
        period_of,
    )
    from fairhearing.reporting.services import report_content

    if connection.vendor != "postgresql":
        sys.exit("run this against PostgreSQL (DATABASE_URL)")
    organisation = Organisation.objects.filter(slug="bench").first()
    if organisation is None:
        sys.exit("no generated data: run `fairhearing bench generate --cases N` first")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT count(*) FROM cases_case WHERE organisation_id = %s", [organisation.pk]
        )
        (cases,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM ledger_event")
        (events,) = cursor.fetchone()
        cursor.execute("SELECT pg_database_size(current_database())")
        (size,) = cursor.fetchone()
    officer, _ = User.objects.get_or_create(
        username="bench-scale-officer",
        defaults={"role": Role.CASE_OFFICER, "organisation": organisation},
    )
    client = Client()
    client_login_verified(client, officer)
    middle = Case.objects.filter(organisation=organisation).order_by("pk")[cases // 2]
    forename, _, surname = middle.respondent.full_name.partition(" ")
    surname = surname or forename
    open_case = (
        Case.objects.filter(organisation=organisation, closed_at__isnull=True)
        .order_by("-pk")
        .first()
    )
    urls = {
        "list": "/cases/",
        "list_stage": "/cases/?stage=investigation",
        "list_category": "/cases/?category=bullying",
        "list_overdue": "/cases/?overdue=on",
        "list_unassigned": "/cases/?assignee=unassigned",
        "list_search": f"/cases/?search={middle.reference}",
        # Part of a name (the blind index of name prefixes): the surname's start, and the
        # starts of both names.
        "list_search_name": f"/cases/?search={surname[:5]}",
        "list_search_two_names": f"/cases/?search={forename[:3]}+{surname[:4]}",
        "list_page_40": "/cases/?page=40",
        "list_last_page": "/cases/?page=last",
        "list_by_reference": "/cases/?queue=all&sort=reference",
        "list_overdue_by_days": "/cases/?queue=overdue&sort=-days_overdue",
        "list_overdue_by_days_page_40": "/cases/?queue=overdue&sort=-days_overdue&page=40",
        "list_week_by_next_due": "/cases/?queue=due_this_week&sort=next_due",
        "case_page": f"/cases/{middle.reference}/",
        "case_page_open": f"/cases/{open_case.reference}/"
        if open_case
        else f"/cases/{middle.reference}/",
    }
    pages: dict[str, list[float]] = {name: [] for name in urls}
    for url in urls.values():  # warm each once
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url}: {response.status_code}")
    from fairhearing.wsgi import settle

    settle()
    for _ in range(args.runs):
        for name, url in urls.items():
            started = time.perf_counter()
            client.get(url)
            pages[name].append(time.perf_counter() - started)

    # Every quarter of the history, as the published statistics page offers them.
    first = Case.objects.filter(organisation=organisation).order_by("opened_at").first()
    today = timezone.localdate()
    quarters = []
    day = first.opened_at.date() if first else today
    while day <= today:
        period = period_of(day)
        quarters.append(period)
        day = period.ends_on
    history: list[float] = []
    one: list[float] = []
    for _ in range(3):
        started = time.perf_counter()
        for figures in history_figures(organisation, quarters).values():
            report_content(figures)
        history.append(time.perf_counter() - started)
        started = time.perf_counter()
        report_content(period_figures(organisation, quarters[-1]))
        one.append(time.perf_counter() - started)
    pack: list[float] = []
    now = timezone.now()
    for _ in range(3):
        started = time.perf_counter()
        pack_content(organisation, since=now - dt.timedelta(days=30), now=now)
        pack.append(time.perf_counter() - started)

    result = {
        "benchmark": "at_scale",
        "database": connection.vendor,
        "cases": cases,
        "events": events,
        "database_mb": round(size / 2**20),
        "runs": args.runs,
        "pages": {name: summary(values) for name, values in pages.items()},
        "statistics": {
            "quarters": len(quarters),
            "every_quarter_median_s": round(statistics.median(history), 2),
            "one_quarter_median_s": round(statistics.median(one), 3),
        },
        "meeting_pack_median_s": round(statistics.median(pack), 3),
    }
    if not args.skip_verify:
        started = time.perf_counter()
        verified = ledger_verify()
        seconds = time.perf_counter() - started
        result["ledger_verify"] = {
            "ok": verified.ok,
            "events": verified.checked,
            "events_per_s": round(verified.checked / seconds),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
    result["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    assert Event.objects.exists()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.exit(main())
