"""Ledger append and verify rates.

    FAIRHEARING_VAR_DIR=/tmp/bench DATABASE_URL=... \
        python benchmarks/ledger_verify.py --events 100000

Appends N events through `event_append` (in transactions of 1,000), signing `--heads` tree
heads along the way (the worker signs one an hour), then runs `ledger_verify` several times
and prints JSON with the medians: verify as the command runs it, the chain alone (verify as it
was before the heads check) and their ratio, paired run by run, and the time of the heads
check alone (on PostgreSQL it runs alongside the chain, so its time need not add up). Run it
against an empty, migrated database: it refuses a database that already has events. The
machine may be shared: compare the ratio rather than single rates.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--heads", type=int, default=24)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from fairhearing.ledger.heads import tree_head_sign
    from fairhearing.ledger.models import Event, EventKind
    from fairhearing.ledger.queries import chain_verify, heads_verify, ledger_verify
    from fairhearing.ledger.services import event_append

    call_command("migrate", verbosity=0)
    if Event.objects.exists():
        sys.exit("refusing to run: the ledger is not empty")
    started = time.perf_counter()
    batch = 1000
    for offset in range(0, args.events, batch):
        with transaction.atomic():
            for i in range(offset, min(offset + batch, args.events)):
                event_append(
                    actor=None,
                    kind=EventKind.CASE_TRANSITIONED,
                    case_id=i % 5000,
                    payload={
                        "transition": "acknowledge",
                        "stage_change": i,
                        "reasons_sha256": "ab" * 32,
                    },
                )
        if args.heads and (offset // batch) % max(1, args.events // batch // args.heads) == 0:
            tree_head_sign()
    append_seconds = time.perf_counter() - started
    tree_head_sign()
    rates, chain_rates, heads_seconds = [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        chain = chain_verify()
        chain_rates.append(chain.checked / (time.perf_counter() - started))
        assert chain.ok
        started = time.perf_counter()
        result = ledger_verify()
        rates.append(result.checked / (time.perf_counter() - started))
        assert result.ok
        started = time.perf_counter()
        heads_checked, bad = heads_verify()
        heads_seconds.append(time.perf_counter() - started)
        assert bad is None and heads_checked == result.heads_checked
    print(
        json.dumps(
            {
                "benchmark": "ledger_verify",
                "database": connection.vendor,
                "events": args.events,
                "append_events_per_s": round(args.events / append_seconds),
                "verify_events_per_s_median": round(statistics.median(rates)),
                "verify_events_per_s_runs": [round(r) for r in rates],
                "chain_only_events_per_s_median": round(statistics.median(chain_rates)),
                "verify_time_over_chain_only_median": round(
                    statistics.median(c / r for c, r in zip(chain_rates, rates, strict=True)), 3
                ),
                "heads": result.heads_checked,
                "heads_check_seconds_median": round(statistics.median(heads_seconds), 3),
                "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "machine": f"{platform.machine()} {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
            }
        )
    )


if __name__ == "__main__":
    main()
