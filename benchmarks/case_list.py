"""The staff case list and case page with N cases (PostgreSQL or SQLite).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/case_list.py --cases 100000

Generates N fictional cases (`fairhearing bench generate`) in an empty, migrated database,
puts a case officer on the team of `--assigned` of them (spread over the history), gives them
three saved views, signs them in (both factors) and times each request through the whole
Django stack (middleware, access rules, queries, templates): `--sets` sets of `--runs`
requests each. Prints JSON with, per page, the median over the sets of each set's p50 and p95
(the first request of each page is a warm-up and not timed).
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from urllib.parse import quote

import django

SAVED_VIEWS = {
    "Due soon": "queue=mine&sort=next_due",
    "Most overdue": "queue=overdue&sort=-days_overdue",
    "Untriaged": "queue=unassigned",
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sets", type=int, default=3)
    parser.add_argument("--assigned", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from fairhearing.accounts.models import Role, User
    from fairhearing.caselist.services import saved_view_save
    from fairhearing.cases.models import Assignment, Case
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
    # The officer's own caseload: bench data written directly, as `generate` writes its rows.
    pks = list(Case.objects.filter(organisation=organisation).values_list("pk", flat=True))
    step = max(1, len(pks) // max(1, args.assigned))
    Assignment.objects.bulk_create(
        Assignment(case_id=pk, user=officer, role=Assignment.Role.CASE_OFFICER)
        for pk in pks[::step][: args.assigned]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_assignment")
    for name, query in SAVED_VIEWS.items():  # shown above the list: one query more a page
        saved_view_save(actor=officer, name=name, query=query)
    client = Client()
    client_login_verified(client, officer)
    some = Case.objects.filter(organisation=organisation).order_by("pk")[args.cases // 2]
    # Part of the respondent's name: the start of their surname, and the start of both names.
    words = some.respondent.full_name.split()
    surname_start, name_starts = words[-1][:5], f"{words[0][:3]} {words[-1][:4]}"
    urls = {
        "list": "/cases/",
        "list_stage": "/cases/?stage=assessment",
        "list_overdue": "/cases/?overdue=on",
        "list_search": f"/cases/?search={some.reference}",
        "list_search_reference_start": f"/cases/?search={some.reference[:-2]}",
        "list_search_name": f"/cases/?search={surname_start}",
        "list_search_names": f"/cases/?search={quote(name_starts)}",
        "list_page_40": "/cases/?page=40",
        "queue_mine": "/cases/?queue=mine",
        "queue_awaiting_me": "/cases/?queue=awaiting_me",
        "queue_due_this_week": "/cases/?queue=due_this_week",
        "queue_overdue": "/cases/?queue=overdue",
        "queue_unassigned": "/cases/?queue=unassigned",
        "queue_all": "/cases/?queue=all",
        "queue_overdue_stage": "/cases/?queue=overdue&stage=assessment",
        # Sorted (caselist.queries.sort_offered): by an index anywhere, computed within the
        # bounded queues, "Overdue" by days overdue from the time limits' side.
        "sort_reference": "/cases/?queue=all&sort=reference",
        "sort_reference_page_40": "/cases/?queue=all&sort=-reference&page=40",
        "sort_mine_next_due": "/cases/?queue=mine&sort=next_due",
        "sort_mine_stage": "/cases/?queue=mine&sort=stage",
        "sort_week_next_due": "/cases/?queue=due_this_week&sort=next_due",
        "sort_week_category": "/cases/?queue=due_this_week&sort=category",
        "sort_overdue_days": "/cases/?queue=overdue&sort=-days_overdue",
        "sort_overdue_days_page_40": "/cases/?queue=overdue&sort=-days_overdue&page=40",
        "case_page": f"/cases/{some.reference}/",
    }
    for url in urls.values():  # warm each once
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url}: {response.status_code}")
    sets: dict[str, list[tuple[float, float]]] = {name: [] for name in urls}
    for _ in range(args.sets):
        timings: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(args.runs):
            for name, url in urls.items():
                t = time.perf_counter()
                client.get(url)
                timings[name].append(time.perf_counter() - t)
        for name, values in timings.items():
            sets[name].append((statistics.median(values), percentile(values, 0.95)))
    print(
        json.dumps(
            {
                "benchmark": "case_list",
                "database": connection.vendor,
                "cases": args.cases,
                "fill_seconds": round(fill, 1),
                "runs": args.runs,
                "sets": args.sets,
                "assigned": args.assigned,
                "p50_p95_ms": {
                    name: [
                        round(1000 * statistics.median(p50 for p50, _ in values), 1),
                        round(1000 * statistics.median(p95 for _, p95 in values), 1),
                    ]
                    for name, values in sets.items()
                },
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
