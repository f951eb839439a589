"""What one queued complaint costs in one process: accepted through the WSGI handler, then
recorded by `submissions_record` as the worker records it, on the given (empty) database.

    DATABASE_URL=postgres://.../intake_profile .venv/bin/python benchmarks/intake_profile.py \
        --complaints 1000 --runs 3 [--profile accept|record] [--direct]

Each run sends COMPLAINTS acceptances (after 100 of warm-up) through Django's test client with
the API token, as benchmarks/intake_load.py's clients send them, then records the queue. It
reports the process's CPU time per acceptance and per recorded complaint (medians over the
runs), and with --profile the cProfile entries that cost most in that phase. Under load the
same work shares two cores with PostgreSQL and locust (intake_load.py measures that); this
shows where the application's share goes. With --direct each request records its complaint
and acknowledges it at once (201), and "accept" is that whole request.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DESCRIPTION = (
    "Re-shared a post blaming a minority for the branch's troubles, and repeated it at the "
    "meeting on 3 March when asked to take it down."
)


def body(n: int) -> dict:
    tag = uuid.uuid4().hex[:8]
    return {
        "complainant": {
            "full_name": f"Complainant {tag}",
            "email": f"complainant-{n}-{tag}@example.invalid",
        },
        "respondents": [{"full_name": f"Respondent {tag}", "membership_number": tag}],
        "allegation": {
            "allegation_type": "share",
            "category": "antisemitism",
            "description": DESCRIPTION,
            "conduct_date": "2026-03-03",
        },
    }


def top(profile: cProfile.Profile, lines: int = 25) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(lines)
    for name in os.environ.get("PROFILE_CALLEES", "").split(","):
        if name:
            stats.print_callees(name)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=["accept", "record"])
    parser.add_argument(
        "--direct",
        action="store_true",
        help="send without `Prefer: respond-async`: each request records and acknowledges "
        "its complaint (201), so there is no queue to record",
    )
    args = parser.parse_args()
    from intake_load import prepare_fairhearing

    token = prepare_fairhearing(os.environ["DATABASE_URL"])
    from django.conf import settings
    from django.test import Client

    from fairhearing.intake.models import Submission
    from fairhearing.intake.services import submissions_record

    settings.ALLOWED_HOSTS = ["*"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    if not args.direct:
        headers["Prefer"] = "respond-async"
    expected = 201 if args.direct else 202

    def accept(n: int) -> None:
        response = client.post(
            "/api/v1/complaints", body(n), content_type="application/json", headers=headers
        )
        if response.status_code != expected:
            sys.exit(f"{response.status_code}: {response.content[:300]!r}")

    for n in range(100):
        accept(n)
    submissions_record()
    results: dict = {"accept_cpu_ms": [], "accept_wall_ms": []}
    if not args.direct:
        results.update(record_cpu_ms=[], record_wall_ms=[])
    profile = cProfile.Profile() if args.profile else None
    for _ in range(args.runs):
        if profile and args.profile == "accept":
            profile.enable()
        wall, cpu = time.perf_counter(), time.process_time()
        for n in range(args.complaints):
            accept(n)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if profile:
            profile.disable()
        results["accept_cpu_ms"].append(1000 * cpu / args.complaints)
        results["accept_wall_ms"].append(1000 * wall / args.complaints)
        if args.direct:
            continue
        if profile and args.profile == "record":
            profile.enable()
        wall, cpu = time.perf_counter(), time.process_time()
        counts = submissions_record()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if profile:
            profile.disable()
        if counts["recorded"] != args.complaints or Submission.objects.exists():
            sys.exit(f"recorded {counts}, expected {args.complaints}")
        results["record_cpu_ms"].append(1000 * cpu / args.complaints)
        results["record_wall_ms"].append(1000 * wall / args.complaints)
    print(
        json.dumps(
            {
                "complaints": args.complaints,
                "runs": args.runs,
                **{k: [round(v, 2) for v in vs] for k, vs in results.items()},
                **{f"{k}_median": round(statistics.median(vs), 2) for k, vs in results.items()},
            },
            indent=2,
        )
    )
    if profile:
        print(top(profile), file=sys.stderr)


if __name__ == "__main__":
    main()
