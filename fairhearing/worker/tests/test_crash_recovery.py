"""A real `fairhearing db_worker` killed (SIGKILL) at chosen points of each kind of task, then
a new worker started: the work completes, nothing is recorded or sent twice, and the ledger
verifies. And two workers on one queue run each task once. Real processes against the
database under test (SQLite or PostgreSQL); `worker/faults.py` stops a worker where asked."""

import email
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from fairhearing.cases.models import AllegationType, Case, Channel, Complaint
from fairhearing.core.tests.test_crash_safety import assert_consistent, child_env, manage, wait_for
from fairhearing.deadlines.models import Deadline
from fairhearing.dossiers.models import Dossier, DossierRow
from fairhearing.dossiers.services import dossier_import_queue, dossier_receive
from fairhearing.dossiers.tests.test_dossiers import row, to_csv
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.models import Submission
from fairhearing.intake.queue import complaint_accept
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.notifications.models import Notification
from fairhearing.notifications.tasks import notifications_send_task
from fairhearing.people.services import PersonDetails
from fairhearing.worker.models import Schedule, WorkerProcess

from .tasks import note_run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("ledger_teardown")]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LEASE = "1.5"  # seconds: a killed worker's task is taken up again this long after
FINISH_WITHIN = 180.0  # seconds for the second worker to finish the work


class Workers:
    """Starts workers for one test and stops whatever is left at its end."""

    def __init__(self, tmp_path: Path, settings: Any) -> None:
        self.tmp_path = tmp_path
        self.env = {**child_env(tmp_path, settings), "FAIRHEARING_WORKER_LEASE_SECONDS": LEASE}
        self.started: list[subprocess.Popen] = []

    def start(self, *, halt_at: str = "", **extra: str) -> tuple[subprocess.Popen, Path]:
        marker = self.tmp_path / f"halted-{len(self.started)}"
        env = {**self.env, **extra}
        if halt_at:
            env |= {
                "FAIRHEARING_WORKER_HALT_AT": halt_at,
                "FAIRHEARING_WORKER_HALT_FILE": str(marker),
            }
        worker = manage(
            "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1", env=env
        )
        self.started.append(worker)
        return worker, marker

    def kill_when_halted(self, worker: subprocess.Popen, marker: Path) -> None:
        wait_for(lambda: marker.exists() or worker.poll() is not None, timeout=FINISH_WITHIN)
        assert worker.poll() is None, worker.communicate()[1][-3000:]
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=30)

    def mail(self) -> list[email.message.Message]:
        """Every message the workers' file mail backend wrote."""
        found = []
        for path in sorted((self.tmp_path / "var" / "mail").glob("*.log")):
            for chunk in path.read_text().split("-" * 79):
                if chunk.strip():
                    found.append(email.message_from_string(chunk.strip()))
        return found


@pytest.fixture
def workers(tmp_path: Path, settings: Any) -> Any:
    settings.TASKS = DATABASE_TASKS
    started = Workers(tmp_path, settings)
    yield started
    started.stop_all()


def finished(task_id: Any) -> bool:
    return DBTaskResult.objects.get(pk=task_id).status in {"SUCCESSFUL", "FAILED"}


def test_a_worker_killed_mid_chunk_is_replaced_and_the_dossier_finishes(
    organisation, case_officer, workers
) -> None:
    total = 1200  # chunks of 500: the first commits, the second is killed before its commit
    data = to_csv([row(f"Member {i}", respondent_membership_number=f"K{i}") for i in range(total)])
    dossier, _ = dossier_receive(
        actor=case_officer,
        organisation=organisation,
        source_name="Campaign for Fair Branches",
        filename="dossier.csv",
        data=data,
    )
    dossier_import_queue(dossier=dossier)  # autocommit: queued at once
    dossier.refresh_from_db()
    first, marker = workers.start(halt_at="dossier.in_chunk:2")
    workers.kill_when_halted(first, marker)

    connection.close()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RUNNING
    assert DossierRow.objects.filter(dossier=dossier).count() == 500  # the killed chunk vanished
    assert DBTaskResult.objects.get(pk=dossier.task_id).status == "RUNNING"  # for ever, before
    assert_consistent()

    workers.start()
    wait_for(lambda: finished(dossier.task_id), timeout=FINISH_WITHIN)
    task = DBTaskResult.objects.get(pk=dossier.task_id)
    assert task.status == "SUCCESSFUL", task.traceback
    assert len(task.worker_ids) == 2  # taken up again by the second worker
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.DONE
    assert DossierRow.objects.filter(dossier=dossier).count() == total
    assert sorted(DossierRow.objects.values_list("number", flat=True)) == list(range(1, total + 1))
    assert Complaint.objects.count() == Case.objects.count() == total
    assert Event.objects.filter(kind=EventKind.DOSSIER_FINISHED).count() == 1
    assert_consistent()


def test_a_worker_killed_mid_intake_batch_is_replaced_and_each_complaint_recorded_once(
    organisation, case_officer, workers
) -> None:
    references = []
    for i in range(12):
        submission = complaint_accept(
            actor=case_officer,
            organisation=organisation,
            channel=Channel.WEB,
            complainant=PersonDetails(full_name=f"Complainant {i}", email=f"c{i}@example.invalid"),
            respondents=[PersonDetails(full_name=f"Respondent {i}")],
            allegation=AllegationDetails(
                allegation_type=AllegationType.IN_PERSON,
                category="bullying",
                description="Shouted at a branch meeting.",
            ),
            summary="At the branch meeting.",
        )
        references.append(submission.reference)
    first, marker = workers.start(halt_at="intake.batch")
    workers.kill_when_halted(first, marker)
    connection.close()
    # Killed before its commit: the batch is still queued, nothing of it recorded.
    assert Submission.objects.filter(status=Submission.Status.QUEUED).count() == 12
    assert not Complaint.objects.exists()

    workers.start()
    wait_for(lambda: not Submission.objects.exists(), timeout=FINISH_WITHIN)
    wait_for(
        lambda: Event.objects.filter(kind=EventKind.ACKNOWLEDGEMENT_SENT).count() == 12,
        timeout=FINISH_WITHIN,
    )
    assert sorted(Complaint.objects.values_list("reference", flat=True)) == sorted(references)
    assert Event.objects.filter(kind=EventKind.COMPLAINT_RECEIVED).count() == 12
    acknowledgements = [m for m in workers.mail() if "received your complaint" in m["Subject"]]
    assert sorted(m["To"] for m in acknowledgements) == sorted(
        f"c{i}@example.invalid" for i in range(12)
    )
    assert_consistent()


def test_acknowledgements_owed_by_a_worker_killed_after_recording_are_sent_once(
    organisation, case_officer, workers
) -> None:
    for i in range(5):
        complaint_accept(
            actor=case_officer,
            organisation=organisation,
            channel=Channel.WEB,
            complainant=PersonDetails(full_name=f"Complainant {i}", email=f"c{i}@example.invalid"),
            respondents=[PersonDetails(full_name=f"Respondent {i}")],
            allegation=AllegationDetails(
                allegation_type=AllegationType.IN_PERSON,
                category="bullying",
                description="Shouted at a branch meeting.",
            ),
            summary="At the branch meeting.",
        )
    # Killed after the batch committed, before any acknowledgement was sent.
    first, marker = workers.start(halt_at="intake.recorded")
    workers.kill_when_halted(first, marker)
    connection.close()
    assert Complaint.objects.count() == 5
    owed = Submission.objects.filter(status=Submission.Status.RECORDED)
    assert owed.count() == 5
    assert all(s.payload == {} for s in owed)  # the details live in the complaints only
    assert not Event.objects.filter(kind=EventKind.ACKNOWLEDGEMENT_SENT).exists()

    # The next worker's sweep (every 2 s here) sends what is owed, once the grace has passed.
    workers.start(FAIRHEARING_SWEEP_SECONDS="2")
    wait_for(lambda: not Submission.objects.exists(), timeout=FINISH_WITHIN)
    assert Event.objects.filter(kind=EventKind.ACKNOWLEDGEMENT_SENT).count() == 5
    acknowledgements = [m for m in workers.mail() if "received your complaint" in m["Subject"]]
    assert sorted(m["To"] for m in acknowledgements) == [f"c{i}@example.invalid" for i in range(5)]
    assert all(c.stage != "received" for c in Case.objects.all())
    assert_consistent()


def test_a_worker_killed_mid_sweep_is_replaced_and_each_breach_recorded_once(
    make_complaint, workers
) -> None:
    for i in range(4):
        make_complaint(respondents=(f"Person {i}",))
    Deadline.objects.update(due_at="2026-01-05T12:00:00Z")
    lapsed = set(Deadline.objects.filter(status=Deadline.Status.OPEN).values_list("pk", flat=True))
    assert len(lapsed) >= 4
    first, marker = workers.start(halt_at="sweep.lapse:2")  # the sweep is due at once
    workers.kill_when_halted(first, marker)
    connection.close()
    recorded = Event.objects.filter(
        kind__in=[EventKind.DEADLINE_BREACHED, EventKind.DEADLINE_EXPIRED]
    )
    assert recorded.count() == 2
    sweep = Schedule.objects.get(name="deadline-sweep")
    assert sweep.task_id is not None
    assert DBTaskResult.objects.get(pk=sweep.task_id).status == "RUNNING"

    workers.start()
    wait_for(lambda: finished(sweep.task_id), timeout=FINISH_WITHIN)
    task = DBTaskResult.objects.get(pk=sweep.task_id)
    assert task.status == "SUCCESSFUL", task.traceback
    assert len(task.worker_ids) == 2
    payloads = [e.payload["deadline"] for e in recorded]
    assert sorted(payloads) == sorted(lapsed)  # each lapse once
    sweep.refresh_from_db()
    assert sweep.last_succeeded_at is not None  # the schedule goes on
    assert ledger_verify().ok


def test_a_worker_killed_mid_send_is_replaced_and_each_email_sent_once(
    organisation, workers
) -> None:
    for i in range(6):
        Notification.objects.create(
            kind=Notification.Kind.STAFF_DIGEST,
            to_email=f"staff{i}@example.invalid",
            to_name=f"Staff {i}",
            role="staff",
            context={
                "date": "2026-12-07",
                "lines": [{"reference": "FH-1", "label": "Reply", "due": "9 December 2026"}],
                "site_url": "http://127.0.0.1:8000",
            },
        )
    result = notifications_send_task.enqueue()
    first, marker = workers.start(halt_at="notifications.sent:2")
    workers.kill_when_halted(first, marker)
    connection.close()
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == 2

    workers.start()
    wait_for(
        lambda: Notification.objects.filter(status=Notification.Status.SENT).count() == 6,
        timeout=FINISH_WITHIN,
    )
    wait_for(lambda: finished(result.id), timeout=FINISH_WITHIN)
    sent = [m for m in workers.mail() if m["To"].startswith("staff")]
    assert sorted(m["To"] for m in sent) == [f"staff{i}@example.invalid" for i in range(6)]
    assert len({m["Message-ID"] for m in sent}) == 6
    assert Event.objects.filter(kind=EventKind.NOTIFICATION_SENT).count() == 6
    assert ledger_verify().ok


def test_two_workers_on_one_queue_run_each_task_once(workers, tmp_path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    workers.start()
    workers.start()
    wait_for(lambda: WorkerProcess.objects.filter(stopped_at=None).count() == 2, timeout=60)
    tasks = [note_run.enqueue(str(runs), n) for n in range(30)]
    wait_for(lambda: all(finished(t.id) for t in tasks), timeout=FINISH_WITHIN)
    results = DBTaskResult.objects.filter(pk__in=[t.id for t in tasks])
    assert {r.status for r in results} == {"SUCCESSFUL"}, [r.traceback for r in results]
    assert all(len(r.worker_ids) == 1 for r in results)
    assert sorted(int(p.name) for p in runs.iterdir()) == list(range(30))
    # Both workers took a share.
    assert len({r.worker_ids[0] for r in results}) == 2
    assert len({r.return_value for r in results}) == 2
