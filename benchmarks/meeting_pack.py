"""The governing body's meeting pack over N cases (PostgreSQL or SQLite).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/meeting_pack.py --cases 100000

Generates N fictional cases (`fairhearing bench generate`: about a third still open, each open
case with its running time limits, most of them long overdue) in an empty, migrated database,
then times `meeting_pack_make` for a new meeting several times: the open-case count, the
longest-overdue limits that bind the organisation (anonymised, at most PACK_OVERDUE_ROWS) and
the count of all of them, the breaches, interference and recommendation counts, the stored pack
and its ledger event. Each run is rolled back, so each
is the organisation's first pack (no "since": the whole history). Prints JSON with the median.
"""

import argparse
import datetime as dt
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
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from fairhearing.cases.models import Case
    from fairhearing.demo.benchdata import generate
    from fairhearing.organisations.services import organisation_create
    from fairhearing.reporting.services import meeting_pack_make, meeting_schedule

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        sys.exit("refusing to run: the database already has cases")
    organisation = organisation_create(
        actor=None, name="Pack bench", slug="pack-bench", reference_prefix="PB"
    )
    started = time.perf_counter()
    generate(organisation=organisation, cases=args.cases)
    fill = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    class Rollback(Exception):
        pass

    timings = []
    content: dict = {}
    for run in range(args.runs):
        try:
            with transaction.atomic():
                meeting = meeting_schedule(
                    actor=None,
                    organisation=organisation,
                    title=f"Governing body {run}",
                    held_on=timezone.localdate() + dt.timedelta(days=7),
                )
                t = time.perf_counter()
                pack = meeting_pack_make(meeting=meeting)
                timings.append(time.perf_counter() - t)
                content = pack.content
                raise Rollback
        except Rollback:
            pass
    print(
        json.dumps(
            {
                "benchmark": "meeting_pack",
                "database": connection.vendor,
                "cases": args.cases,
                "fill_seconds": round(fill, 1),
                "open_cases": content.get("open_cases"),
                "overdue_rows": len(content.get("overdue", [])),
                "overdue_total": content.get("overdue_total"),
                "seconds_median": round(statistics.median(timings), 3),
                "seconds_runs": [round(t, 3) for t in timings],
                "machine": f"{platform.machine()} {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
            }
        )
    )


if __name__ == "__main__":
    main()
