"""The staff case list and case page with N cases (PostgreSQL or SQLite).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/case_list.py --cases 100000

Generates N fictional cases (`fairhearing bench generate`) in an empty, migrated database,
signs a case officer in (both factors) and times each request through the whole Django stack
(middleware, access rules, queries, templates) several times. Prints JSON with the medians.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from fairhearing.accounts.models import Role, User
    from fairhearing.cases.models import Case
    from fairhearing.core.testing.second_factor import client_login_verified
    from fairhearing.demo.benchdata import generate
    from fairhearing.organisations.services import organisation_create
    from fairhearing.panels.models import TrainingRecord

    setup_test_environment()
    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        sys.exit("refusing to run: the database already has cases")
    organisation = organisation_create(
        actor=None, name="List bench", slug="list-bench", reference_prefix="LB"
    )
    started = time.perf_counter()
    generate(organisation=organisation, cases=args.cases)
    fill = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    officer = User.objects.create_user(
        username="bench-officer", password="x", role=Role.CASE_OFFICER, organisation=organisation
    )
    TrainingRecord.objects.filter(user=officer).exists()
    client = Client()
    client_login_verified(client, officer)
    some = Case.objects.filter(organisation=organisation).order_by("pk")[args.cases // 2]
    urls = {
        "list": "/cases/",
        "list_stage": "/cases/?stage=assessment",
        "list_overdue": "/cases/?overdue=on",
        "list_search": f"/cases/?search={some.reference}",
        "list_page_40": "/cases/?page=40",
        "case_page": f"/cases/{some.reference}/",
    }
    timings: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(args.runs):
        for name, url in urls.items():
            t = time.perf_counter()
            response = client.get(url)
            timings[name].append(time.perf_counter() - t)
            if response.status_code != 200:
                sys.exit(f"{url}: {response.status_code}")
    print(
        json.dumps(
            {
                "benchmark": "case_list",
                "database": connection.vendor,
                "cases": args.cases,
                "fill_seconds": round(fill, 1),
                "median_ms": {
                    name: round(1000 * statistics.median(values[1:]), 1)
                    for name, values in timings.items()
                },
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
