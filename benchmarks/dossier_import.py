"""Bulk dossier import with de-duplication (issue 4 target: 10,000 rows, 20% duplicates,
under 30 s on PostgreSQL).

    DATABASE_URL=postgres://... FAIRHEARING_VAR_DIR=/tmp/bench \
        .venv/bin/python benchmarks/dossier_import.py --rows 10000 --runs 3

Each run uses a fresh organisation in an empty, migrated database (the script refuses one
with cases in it unless --reuse) and imports a generated CSV: 80% distinct rows, 20% that
repeat an earlier row's post, found by its words (so they join its case as duplicates). Prints
JSON with each run's seconds and the median.
"""

import argparse
import csv
import io
import json
import os
import platform
import random
import statistics
import sys
import time

import django


def vocabulary(size: int = 3000) -> list[str]:
    """Pseudo-words: posts drawn from them differ about as much as real posts do."""
    rng = random.Random(0)
    return [
        "".join(
            rng.choice("bcdfghjklmnprstvwz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
        )
        for _ in range(size)
    ]


def dossier(rows: int, seed: int) -> bytes:
    from fairhearing.dossiers.read import COLUMNS

    rng = random.Random(seed)
    distinct = int(rows * 0.8)
    words = vocabulary()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    base = []
    for i in range(distinct):
        text = " ".join(rng.choice(words) for _ in range(25)) + f" #{seed}-{i}"
        row = {
            "respondent_name": f"Member {seed}-{i % 4000}",
            "respondent_membership_number": f"B{seed}-{i % 4000}",
            "category": rng.choice(["bullying", "racism", "sexism", "disability"]),
            "url": f"https://x.com/member{seed}_{i % 4000}/status/{seed}{i}",
            "post_text": text,
            "posted_at": "2025-05-01T10:00",
            "description": "Collected from public posts by volunteers.",
        }
        base.append(row)
        writer.writerow(row)
    for i in range(rows - distinct):
        # The same post again, found by its words (a copy with a comment added), not its link.
        again = dict(rng.choice(base))
        again["url"] = ""
        again["post_text"] += " (rt)"
        again["their_reference"] = f"again-{i}"
        writer.writerow(again)
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from fairhearing.dossiers.importing import dossier_import
    from fairhearing.dossiers.services import dossier_receive
    from fairhearing.organisations.services import organisation_create

    call_command("migrate", verbosity=0)
    seconds, results = [], []
    for run in range(args.runs):
        with transaction.atomic():
            # References are unique across organisations: each run's gets its own prefix.
            organisation = organisation_create(
                actor=None,
                name=f"Dossier bench {run}",
                slug=f"dossier-bench-{os.getpid()}-{run}",
                reference_prefix=f"DB{run}",
            )
        data = dossier(args.rows, seed=run + 1)
        started = time.perf_counter()
        received, _ = dossier_receive(
            actor=None,
            organisation=organisation,
            source_name="Bench campaign",
            filename="bench.csv",
            data=data,
        )
        done = dossier_import(dossier=received)
        seconds.append(time.perf_counter() - started)
        results.append(
            {s: done.rows.filter(status=s).count() for s in ("accepted", "duplicate", "rejected")}
        )
    print(
        json.dumps(
            {
                "benchmark": "dossier_import",
                "database": connection.vendor,
                "rows": args.rows,
                "runs": seconds,
                "median_seconds": statistics.median(seconds),
                "rows_per_second": args.rows / statistics.median(seconds),
                "outcomes": results,
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
