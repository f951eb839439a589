"""Intake through the API under concurrent load, against gunicorn, with django-helpdesk as a peer.

    DATABASE_URL=postgres://.../bench_intake_load .venv/bin/python benchmarks/intake_load.py \
        --workers 1,2,4 --users 8 --seconds 30 --runs 3

Prepares the given (empty) database once: migrations, an organisation, a case officer and an
API token with the complaints:submit scope. Then, for each run and each worker count, copies
it (CREATE DATABASE ... TEMPLATE) so every measurement starts from the same empty tables
(with `--as-is`, a database filled by `fairhearing bench generate` is used itself, its
organisation taking the complaints: intake at scale, without the peer), starts
gunicorn (sync workers, DEBUG off, as production runs) on a free loopback port, and drives
POST /api/v1/complaints with locust, headless (.bench-venv, `make bench-venv`): `--users`
clients, each submitting a new complaint as soon as its last one was answered, for a warm-up
and then `--seconds` measured. After the run it reads each gunicorn worker's resident memory
(VmRSS and its peak VmHWM, /proc/PID/status) and the CPU time the workers and the PostgreSQL
backends spent, and counts the complaints recorded: each 201 must have its record.

With `--peer` (the default when .bench-peer-venv exists: benchmarks/peer/venv.sh) the same
load, worker counts and PostgreSQL server drive django-helpdesk 2.6.1's ticket creation
(POST /api/tickets/, benchmarks/peer/peerdesk), interleaved with Fairhearing's runs so both see
the same machine, and the JSON gives Fairhearing's figures as ratios to the peer's.

The load generator, gunicorn and PostgreSQL share the machine's cores: the figures are for the
whole system on this machine, not for the application alone; the CPU milliseconds per request
are the figure least moved by other work on a shared machine.
"""

import argparse
import csv
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
from processes import (  # benchmarks/processes.py, beside this file
    Gunicorn,
    cpu_of_children,
    cpu_seconds,
    cpu_spent,
    memory_mb,
    postmaster_pid,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".bench-venv"
PEER_VENV = ROOT / ".bench-peer-venv"
PEER_DIR = ROOT / "benchmarks" / "peer"
LOCUSTFILE = ROOT / "benchmarks" / "locustfile_intake.py"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def locust(*, host: str, users: int, seconds: int, env: dict) -> dict[str, Any]:
    """One headless locust run; the aggregated row of its statistics."""
    with tempfile.TemporaryDirectory(prefix="locust-") as tmp:
        prefix = os.path.join(tmp, "run")
        completed = subprocess.run(
            [
                str(BENCH_VENV / "bin" / "locust"),
                f"--locustfile={LOCUSTFILE}",
                "--headless",
                f"--users={users}",
                f"--spawn-rate={users}",
                f"--run-time={seconds}s",
                f"--host={host}",
                f"--csv={prefix}",
                "--only-summary",
                "--loglevel=WARNING",
                "--stop-timeout=10",
                "--exit-code-on-error=0",
            ],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            with open(f"{prefix}_stats.csv", newline="") as handle:
                rows = {row["Name"]: row for row in csv.DictReader(handle)}
            with open(f"{prefix}_failures.csv", newline="") as handle:
                failures = [row for row in csv.DictReader(handle)]
        except OSError as exc:
            raise RuntimeError(f"locust wrote no statistics: {completed.stderr[-2000:]}") from exc
    row = rows["Aggregated"]
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "per_s": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "max_ms": float(row["Max Response Time"]),
        "failure_kinds": [
            f"{f['Occurrences']}x {f['Error'][:160]}" for f in failures if f.get("Error")
        ][:5],
    }


# --- the two applications -----------------------------------------------------------------


def admin(server: str, *statements: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def count_rows(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
        return int(row[0]) if row else 0


def prepare_fairhearing(url: str, *, as_is: bool = False) -> str:
    """Migrate the given database and make the token; returns the token. `as_is`: a database
    `fairhearing bench generate` filled, whose organisation takes the complaints."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from fairhearing.accounts.models import Role, User
    from fairhearing.api.services import api_token_create
    from fairhearing.cases.models import Complaint
    from fairhearing.organisations.models import Organisation
    from fairhearing.organisations.services import organisation_create

    call_command("migrate", verbosity=0)
    if as_is:
        organisation = Organisation.objects.filter(slug="bench").first()
        if organisation is None:
            sys.exit("--as-is: no generated data (fairhearing bench generate --cases N)")
        officer, _ = User.objects.get_or_create(
            username="bench-intake-as-is",
            defaults={"role": Role.CASE_OFFICER, "organisation": organisation},
        )
    else:
        if Complaint.objects.exists():
            sys.exit("refusing to run: the database already has complaints")
        organisation = organisation_create(
            actor=None, name="Load bench", slug="load-bench", reference_prefix="LD"
        )
        officer = User.objects.create_user(
            username="bench-intake", role=Role.CASE_OFFICER, organisation=organisation
        )
    _, clear = api_token_create(
        actor=None, user=officer, name="intake load", scopes=["complaints:submit"]
    )
    connections.close_all()  # a template database must have no sessions
    return clear


def prepare_peer(url: str) -> dict:
    completed = subprocess.run(
        [str(PEER_VENV / "bin" / "python"), str(PEER_DIR / "setup_intake.py")],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "peerdesk.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"peer setup failed: {completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure(
    *,
    side: str,
    workers: int,
    server: str,
    template: str,
    database: str,
    auth: dict,
    args: argparse.Namespace,
    var_dir: str,
) -> dict[str, Any]:
    if args.as_is:  # the given database itself, with whatever it holds
        database = template
    else:
        admin(
            server,
            f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
            f"CREATE DATABASE {database} TEMPLATE {template}",
        )
    url = f"{server}/{database}"
    queued = side == "fairhearing-async"
    if side.startswith("fairhearing"):
        server_env = {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-" + "x" * 40,
            "SECURE_SSL_REDIRECT": "0",
            "FAIRHEARING_VAR_DIR": var_dir,
        }
        app, venv, cwd, ready, table = (
            "fairhearing.wsgi:application",
            ROOT / ".venv",
            ROOT,
            "/",
            ("cases_complaint"),
        )
        load_env = {
            "LOAD_TARGET": "fairhearing",
            "LOAD_TOKEN": auth["token"],
            "LOAD_ASYNC": "1" if queued else "",
        }
    else:
        server_env = {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "peerdesk.settings",
            "PEER_VAR_DIR": os.path.join(var_dir, "peer"),
        }
        app, venv, cwd, ready, table = (
            "peerdesk.wsgi:application",
            PEER_VENV,
            PEER_DIR,
            "/",
            ("helpdesk_ticket"),
        )
        load_env = {
            "LOAD_TARGET": "helpdesk",
            "LOAD_TOKEN": auth["token"],
            "LOAD_QUEUE": str(auth["queue"]),
        }
    port = int(server.rsplit(":", 1)[1])
    gunicorn = Gunicorn(venv=venv, app=app, cwd=cwd, env=server_env, workers=workers)
    # Accepted complaints are recorded by one db_worker running alongside, as in production:
    # it shares the cores with gunicorn, PostgreSQL and locust.
    worker = (
        subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "fairhearing"), "db_worker"],
            cwd=ROOT,
            env={**os.environ, **server_env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if queued
        else None
    )
    backlog: dict[str, Any] = {}
    recorded_at_start = count_rows(url, table)
    try:
        gunicorn.wait_ready(ready)
        warm = locust(host=gunicorn.url, users=args.users, seconds=args.warmup, env=load_env)
        app_before = {pid: cpu_seconds(pid) for pid in gunicorn.worker_pids()}
        db_before = cpu_of_children(postmaster_pid(port))
        recorded_before = count_rows(url, table)
        result = locust(host=gunicorn.url, users=args.users, seconds=args.seconds, env=load_env)
        app_cpu = cpu_spent(app_before, {p: cpu_seconds(p) for p in gunicorn.worker_pids()})
        db_cpu = cpu_spent(db_before, cpu_of_children(postmaster_pid(port)))
        memory = [memory_mb(pid) for pid in gunicorn.worker_pids()]
        if queued:
            gunicorn.stop()
            backlog = drain(url, recorded_before=recorded_before, seconds=args.seconds)
    finally:
        gunicorn.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    recorded = count_rows(url, table)
    if not args.as_is:
        admin(server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    ok = result["requests"] - result["failures"]
    ok_total = ok + warm["requests"] - warm["failures"]
    result.update(
        {
            "side": side,
            "workers": workers,
            "users": args.users,
            "seconds": args.seconds,
            "errors": result["failures"] + warm["failures"],
            "warmup_requests": warm["requests"],
            "recorded": recorded,
            # Every 201 must have its record. There are a few more records than 201s: requests
            # still in flight when locust stops a run are recorded but never counted.
            "recorded_every_201": recorded - recorded_at_start >= ok_total,
            "app_cpu_ms_per_request": round(1000 * app_cpu / ok, 2) if ok else None,
            "db_cpu_ms_per_request": (
                round(1000 * db_cpu / ok, 2) if ok and postmaster_pid(port) else None
            ),
            "worker_rss_mb": [m["rss_mb"] for m in memory],
            "worker_peak_rss_mb": [m["peak_rss_mb"] for m in memory],
            **backlog,
        }
    )
    return result


def drain(url: str, *, recorded_before: int, seconds: int) -> dict[str, Any]:
    """After an accept-and-queue run: what the worker recorded while the load ran, and how long
    it took to record the rest (polled once a second, for up to ten minutes)."""
    recorded_in_run = count_rows(url, "cases_complaint") - recorded_before
    waiting = count_rows(url, "intake_submission WHERE status = 'queued'")
    started = time.monotonic()
    while count_rows(url, "intake_submission WHERE status = 'queued'") and (
        time.monotonic() - started < 600
    ):
        time.sleep(1)
    return {
        "recorded_per_s_during_load": round(recorded_in_run / seconds, 1),
        "queued_at_end_of_load": waiting,
        "seconds_to_record_the_rest": round(time.monotonic() - started, 1),
        "refused_when_recorded": count_rows(url, "intake_submission WHERE status = 'refused'"),
        "still_queued": count_rows(url, "intake_submission WHERE status = 'queued'"),
    }


def summary(runs: list[dict]) -> dict[str, Any]:
    """Medians over the runs of one side at one worker count."""

    def med(key: str) -> float | None:
        values = [r[key] for r in runs if r.get(key) is not None]
        return round(statistics.median(values), 2) if values else None

    return {
        "per_s_median": med("per_s"),
        "p50_ms_median": med("p50_ms"),
        "p95_ms_median": med("p95_ms"),
        "p99_ms_median": med("p99_ms"),
        "app_cpu_ms_per_request_median": med("app_cpu_ms_per_request"),
        "db_cpu_ms_per_request_median": med("db_cpu_ms_per_request"),
        "errors": sum(r["errors"] for r in runs),
        "every_201_recorded": all(r["recorded_every_201"] for r in runs),
        "worker_rss_mb_max": max(max(r["worker_rss_mb"]) for r in runs),
        "worker_peak_rss_mb_max": max(max(r["worker_peak_rss_mb"]) for r in runs),
        "recorded_per_s_during_load_median": med("recorded_per_s_during_load"),
        "seconds_to_record_the_rest_median": med("seconds_to_record_the_rest"),
        "still_queued": sum(r.get("still_queued", 0) for r in runs),
        "refused_when_recorded": sum(r.get("refused_when_recorded", 0) for r in runs),
        "per_s_runs": [r["per_s"] for r in runs],
        "p99_ms_runs": [r["p99_ms"] for r in runs],
    }


def ratio(ours: float | None, theirs: float | None) -> float | None:
    return round(ours / theirs, 2) if ours and theirs else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="1,2,4", help="gunicorn worker counts, e.g. 1,2,4")
    parser.add_argument("--users", type=int, default=8, help="concurrent clients")
    parser.add_argument("--seconds", type=int, default=30, help="measured time per run")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured seconds first")
    parser.add_argument("--runs", type=int, default=1)
    peer = parser.add_mutually_exclusive_group()
    peer.add_argument("--peer", dest="peer", action="store_true", default=None)
    peer.add_argument("--no-peer", dest="peer", action="store_false")
    parser.add_argument(
        "--queued",
        action="store_true",
        help="also drive Fairhearing with `Prefer: respond-async` (accept, queue, record by "
        "a db_worker alongside)",
    )
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="run Fairhearing's sides against DATABASE_URL itself, filled by `fairhearing "
        "bench generate`, not against fresh copies of an empty one (no peer: it has no "
        "generated tickets); the complaints stay",
    )
    args = parser.parse_args()
    if args.as_is:
        args.peer = False
    # Stopped from outside: unwind, so that gunicorn is stopped and the copies dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not (BENCH_VENV / "bin" / "locust").exists():
        sys.exit("no .bench-venv with locust: run `make bench-venv`")
    if args.peer is None:
        args.peer = (PEER_VENV / "bin" / "gunicorn").exists()
    if args.peer and not (PEER_VENV / "bin" / "gunicorn").exists():
        sys.exit("no .bench-peer-venv: run benchmarks/peer/venv.sh")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("run this against PostgreSQL (DATABASE_URL)")
    server, template = url.rsplit("/", 1)
    worker_counts = [int(w) for w in args.workers.split(",")]
    var_dir = os.environ.get("FAIRHEARING_VAR_DIR") or tempfile.mkdtemp(prefix="intake-load-")
    os.environ["FAIRHEARING_VAR_DIR"] = var_dir

    auth = {"fairhearing": {"token": prepare_fairhearing(url, as_is=args.as_is)}}
    templates = {"fairhearing": template}
    sides = ["fairhearing"]
    if args.queued:
        auth["fairhearing-async"] = auth["fairhearing"]
        templates["fairhearing-async"] = template
        sides.append("fairhearing-async")
    if args.peer:
        templates["helpdesk"] = f"{template}_peer"
        admin(
            server,
            f"DROP DATABASE IF EXISTS {templates['helpdesk']} WITH (FORCE)",
            f"CREATE DATABASE {templates['helpdesk']}",
        )
        auth["helpdesk"] = prepare_peer(f"{server}/{templates['helpdesk']}")
        sides.append("helpdesk")

    runs: list[dict] = []
    try:
        for run in range(args.runs):
            for workers in worker_counts:
                for side in sides:
                    print(f"intake_load: run {run + 1}, {side}, {workers} workers", file=sys.stderr)
                    result = measure(
                        side=side,
                        workers=workers,
                        server=server,
                        template=templates[side],
                        database=f"{template}_{side.replace('-', '_')}_w{workers}",
                        auth=auth[side],
                        args=args,
                        var_dir=var_dir,
                    )
                    print(
                        f"  {result['per_s']:.1f}/s p50 {result['p50_ms']:.0f} ms "
                        f"p99 {result['p99_ms']:.0f} ms errors {result['errors']} "
                        f"rss {result['worker_rss_mb']} MB",
                        file=sys.stderr,
                    )
                    runs.append(result)
    finally:
        if args.peer:
            admin(server, f"DROP DATABASE IF EXISTS {templates['helpdesk']} WITH (FORCE)")

    results: dict[str, Any] = {}
    for side in sides:
        results[side] = {
            str(w): summary([r for r in runs if r["side"] == side and r["workers"] == w])
            for w in worker_counts
        }
    ratios = {}
    if args.peer:
        for w in worker_counts:
            ours, theirs = results["fairhearing"][str(w)], results["helpdesk"][str(w)]
            if args.queued:
                ratios[f"{w} queued"] = {
                    "throughput": ratio(
                        results["fairhearing-async"][str(w)]["per_s_median"],
                        theirs["per_s_median"],
                    ),
                    "p99": ratio(
                        results["fairhearing-async"][str(w)]["p99_ms_median"],
                        theirs["p99_ms_median"],
                    ),
                }
            ratios[str(w)] = {
                "throughput": ratio(ours["per_s_median"], theirs["per_s_median"]),
                "p50": ratio(ours["p50_ms_median"], theirs["p50_ms_median"]),
                "p99": ratio(ours["p99_ms_median"], theirs["p99_ms_median"]),
                "app_cpu_per_request": ratio(
                    ours["app_cpu_ms_per_request_median"],
                    theirs["app_cpu_ms_per_request_median"],
                ),
                "worker_rss": ratio(ours["worker_rss_mb_max"], theirs["worker_rss_mb_max"]),
            }
    print(
        json.dumps(
            {
                "benchmark": "intake_load",
                "database": "postgresql",
                "load_generator": "locust 2.47.0, headless, closed loop (no wait)",
                "server": "gunicorn 27.0.1, sync workers",
                "users": args.users,
                "seconds": args.seconds,
                "runs": args.runs,
                "results": results,
                "ratio_to_helpdesk": ratios,
                "all_runs": runs,
                "machine": f"{platform.machine()} {os.cpu_count()} cores, "
                f"Python {platform.python_version()}, load average at end "
                f"{os.getloadavg()[0]:.2f}",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
