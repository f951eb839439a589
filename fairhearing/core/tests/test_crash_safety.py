"""Crash safety: the worker killed (SIGKILL) in the middle of a dossier import, and the web
process killed in the middle of a burst of transitions. Afterwards: no partial case, no
orphan ledger event, the ledger verifies, and the import re-runs to completion without
duplicates. Real processes against the database under test (SQLite or PostgreSQL)."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from fairhearing.api.services import api_token_create
from fairhearing.cases.models import Case, Complaint, Party, StageChange
from fairhearing.dossiers.models import Dossier, DossierRow
from fairhearing.dossiers.tests.test_dossiers import row, to_csv
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.workflow.services import case_assign

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("ledger_teardown")]

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def child_env(tmp_path: Path, settings) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k != "READ_REPLICA_URL"}
    return {
        **inherited,
        "DATABASE_URL": database_url(),
        "FAIRHEARING_VAR_DIR": str(tmp_path / "var"),
        "FAIRHEARING_EVIDENCE_ROOT": str(settings.EVIDENCE_ROOT),
        "PYTHONUNBUFFERED": "1",
        # The same field-encryption keys as this process (another var dir would make new ones).
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
        # And the same ledger signing key: heads the child signs must verify here.
        "LEDGER_SIGNING_KEY_FILE": str(settings.LEDGER_SIGNING_KEY_FILE),
    }


def manage(*args: str, env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(MANAGE), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def wait_for(condition, *, timeout: float = 120.0, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection.close()  # a fresh look at what other processes committed
        if condition():
            return
        time.sleep(step)
    raise AssertionError("timed out waiting for the other process")


def assert_consistent() -> None:
    """No partial case, no orphan event, a verifying ledger."""
    connection.close()
    assert ledger_verify().ok
    case_ids = set(Case.objects.values_list("pk", flat=True))
    orphans = Event.objects.exclude(case_id=None).exclude(case_id__in=case_ids)
    assert not orphans.exists(), list(orphans.values_list("seq", "kind", "case_id")[:5])
    for case in Case.objects.all():
        assert case.allegations.exists(), case.reference
        assert case.parties.filter(role=Party.Role.COMPLAINANT).exists(), case.reference
        assert case.deadlines.exists(), case.reference
        assert Event.objects.filter(kind=EventKind.CASE_OPENED, case_id=case.pk).count() == 1
        last = case.stage_changes.order_by("-at", "-pk").first()
        assert case.stage == (last.to_stage if last else case.rulebook.spec.first_stage)
    # Every stage change has its event, and every transition event its stage change.
    assert Event.objects.filter(kind=EventKind.CASE_TRANSITIONED).count() == (
        StageChange.objects.count()
    )
    for complaint in Complaint.objects.all():
        assert complaint.cases.exists(), complaint.reference


def test_killing_the_worker_mid_import_loses_and_repeats_nothing(
    organisation, tmp_path, settings
) -> None:
    total = 1500
    path = tmp_path / "dossier.csv"
    path.write_bytes(
        to_csv([row(f"Member {i}", respondent_membership_number=f"K{i}") for i in range(total)])
    )
    env = child_env(tmp_path, settings)
    received = manage("dossier", "import", str(path), "--source", "Campaign", "--quiet", env=env)
    # Let it commit a few chunks, then kill it where it stands.
    wait_for(lambda: DossierRow.objects.count() >= 300)
    received.send_signal(signal.SIGKILL)
    received.wait(timeout=30)
    connection.close()
    done = DossierRow.objects.count()
    assert 300 <= done < total, done
    assert done % 100 == 0  # whole chunks only: a chunk commits or vanishes
    assert Complaint.objects.count() == done
    assert_consistent()

    # The same command again: the same dossier, resumed from where it stopped.
    again = manage("dossier", "import", str(path), "--source", "Campaign", "--quiet", env=env)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert "imported before" in out
    connection.close()
    assert Dossier.objects.count() == 1
    assert DossierRow.objects.count() == total
    assert sorted(DossierRow.objects.values_list("number", flat=True)) == list(range(1, total + 1))
    assert Complaint.objects.count() == total
    assert Case.objects.count() == total
    assert_consistent()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_killing_the_web_process_mid_burst_leaves_whole_transitions(
    organisation, make_complaint, case_officer, tmp_path, settings
) -> None:
    cases = []
    for i in range(12):
        case = make_complaint(respondents=(f"Person {i}",)).cases.get()
        case_assign(actor=None, case=case, user=case_officer, role="case_officer")
        cases.append(case)
    _, token = api_token_create(
        actor=None, user=case_officer, name="burst", scopes=["cases:read", "cases:write"]
    )
    port = free_port()
    env = child_env(tmp_path, settings)
    server = manage("runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading", env=env)
    base = f"http://127.0.0.1:{port}/api/v1"

    def post(reference: str, transition: str) -> int:
        body = json.dumps(
            {"transition": transition, "reasons": "Burst.", "rule_applied": "Rule 1"}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback only
            f"{base}/cases/{reference}/transitions",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0  # the server died under us

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return True
        except (urllib.error.URLError, ConnectionError):
            return False

    try:
        wait_for(healthy, timeout=60, step=0.2)
        statuses: list[int] = []

        def burst() -> None:
            for case in cases:
                for transition in ("acknowledge", "begin_assessment"):
                    statuses.append(post(case.reference, transition))

        sender = threading.Thread(target=burst)
        sender.start()
        wait_for(lambda: StageChange.objects.count() >= 5, timeout=120, step=0.02)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    sender.join(timeout=120)
    assert 201 in statuses
    assert StageChange.objects.count() < 2 * len(cases)  # killed mid-burst
    assert_consistent()
