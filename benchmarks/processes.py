"""The processes a load benchmark starts and watches: a free loopback port, gunicorn, and
the CPU time and memory of a process and its children (/proc), for benchmarks/intake_load.py."""

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return sorted(found)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def memory_mb(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"rss_mb": values["VmRSS"], "peak_rss_mb": values["VmHWM"]}


def postmaster_pid(port: int) -> int | None:
    """The PostgreSQL server's pid, when it is scripts/test-postgres's cluster on this port."""
    pidfile = Path(f"/tmp/fairhearing-pg-{port}/data/postmaster.pid")
    try:
        return int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cpu_of_children(pid: int | None) -> dict[int, float]:
    return {} if pid is None else {child: cpu_seconds(child) for child in children(pid)}


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


class Gunicorn:
    """gunicorn serving one application on a free loopback port; stopped on exit."""

    def __init__(self, *, venv: Path, app: str, cwd: Path, env: dict, workers: int) -> None:
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(venv / "bin" / "gunicorn"),
                app,
                f"--workers={workers}",
                f"--bind=127.0.0.1:{self.port}",
                "--worker-class=sync",
                "--timeout=60",
                "--graceful-timeout=5",
            ],
            cwd=cwd,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.workers = workers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.url + path, timeout=5)  # noqa: S310 - loopback
            except urllib.error.HTTPError:
                pass  # any answer means the server is up
            except OSError:
                time.sleep(0.3)
                continue
            if len(children(self.process.pid)) >= self.workers:
                return
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 90 s")

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:  # stop() may be called twice
            self.log.close()
            os.unlink(self.log.name)


# --- locust --------------------------------------------------------------------------------
