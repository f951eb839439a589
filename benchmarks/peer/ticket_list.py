"""django-helpdesk's staff ticket list with N tickets: the peer of benchmarks/case_list.py.

    DATABASE_URL=postgres://.../bench_peer_list .bench-peer-venv/bin/python \
        benchmarks/peer/ticket_list.py --tickets 10000

Migrates an empty database, adds N open tickets in one queue (bulk inserts, created over four
years, a third assigned to the staff user), signs a staff user in and times, through the whole
Django stack as case_list.py does: the list page (`/tickets/`, the page that a person opens),
the first page of its rows (`/datatables_ticket_list/<query>`, which the page fetches:
helpdesk renders rows in the browser, so a person waits for both), the rows filtered by
status (reopened), and the 40th page of rows. Prints JSON with the medians; `list_total_ms`
(page plus first rows) is the figure to compare with case_list.py's `list`.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "peerdesk.settings"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from helpdesk.models import Queue, Ticket

    setup_test_environment()
    call_command("migrate", verbosity=0)
    if Ticket.objects.exists():
        sys.exit("refusing to run: the database already has tickets")
    queue = Queue.objects.create(title="Complaints", slug="complaints")
    staff = get_user_model().objects.create_user(
        username="bench-staff", email="staff@peer.invalid", is_staff=True
    )
    started = time.perf_counter()
    now = timezone.now()
    batch: list = []
    for n in range(args.tickets):
        at = now - dt.timedelta(minutes=n * 210)  # four years for 10,000 tickets
        batch.append(
            Ticket(
                title=f"Complaint about Respondent {n}",
                queue=queue,
                created=at,
                modified=at,
                submitter_email=f"complainant-{n}@example.invalid",
                assigned_to=staff if n % 3 == 0 else None,
                status=Ticket.OPEN_STATUS if n % 4 else Ticket.REOPENED_STATUS,
                description="Re-shared a post blaming a minority for the branch's troubles.",
                priority=1 + n % 5,
            )
        )
        if len(batch) == 2000:
            Ticket.objects.bulk_create(batch)
            batch = []
    Ticket.objects.bulk_create(batch)
    fill = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(staff)

    def rows_url(page_url: str) -> str:
        """The URL of the rows that the list page fetches (its query, base64 in the path)."""
        page = client.get(page_url)
        found = re.search(r"datatables_ticket_list/([A-Za-z0-9+/=_-]+)", page.content.decode())
        if page.status_code != 200 or not found:
            sys.exit(f"{page_url}: {page.status_code}, no rows URL in the page")
        return f"/datatables_ticket_list/{found.group(1)}"

    rows, rows_status = rows_url("/tickets/"), rows_url("/tickets/?status=2")
    first = "draw=1&start=0&length=25&order[0][column]=5&order[0][dir]=desc"
    urls = {
        "list_page": "/tickets/",
        "list_rows": f"{rows}?{first}",
        "list_rows_status": f"{rows_status}?{first}",
        "list_rows_page_40": f"{rows}?{first.replace('start=0', f'start={39 * 25}')}",
    }
    timings: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(args.runs):
        for name, url in urls.items():
            t = time.perf_counter()
            response = client.get(url)
            timings[name].append(time.perf_counter() - t)
            if response.status_code != 200:
                sys.exit(f"{url}: {response.status_code}")
    body = json.loads(client.get(urls["list_rows"]).content)
    shown, total = len(body["data"]), body.get("recordsTotal")
    medians = {
        name: round(1000 * statistics.median(values[1:]), 1) for name, values in timings.items()
    }
    print(
        json.dumps(
            {
                "benchmark": "peer_ticket_list",
                "peer": "django-helpdesk 2.6.1",
                "database": connection.vendor,
                "tickets": args.tickets,
                "rows_shown": shown,
                "rows_total": total,
                "fill_seconds": round(fill, 1),
                "median_ms": medians,
                "list_total_ms": round(medians["list_page"] + medians["list_rows"], 1),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
